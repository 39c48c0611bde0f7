/*
 * Where the command finds its data files (the test vectors, the sweep's
 * gnuplot script): installed, <prefix>/share/subpow/<name>, found from the
 * executable's own path so that `cmake --install --prefix P` works for any
 * P; in the build tree (build/bench), the source tree's folder.
 */
#ifndef SUBPOW_BENCH_DATA_DIR_H
#define SUBPOW_BENCH_DATA_DIR_H

/* The folder of data set `name` ("vectors", "scripts"): <exe>/../share/
 * subpow/<name> when it exists, else `source_dir`. Static storage, one
 * buffer per name; never NULL. */
const char *sp_data_dir(const char *name, const char *source_dir);

#endif
