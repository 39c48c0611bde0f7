# Plots a `bench sweep` result (see bench sweep --help):
#   sweep_cpu.EXT   hash rate against threads, one line per CPU series
#                   (backend/isa/pinning; the reference: workers)
#   sweep_cuda.EXT  hash rate against threads per block, one line per
#                   update interval
# EXT is png (pngcairo, else gnuplot's png terminal), else svg.
#
# usage: gnuplot -e "csv='results/DIR/sweep.csv'; outdir='results/DIR'" \
#                scripts/plot_sweep.gp
# The series are listed with awk, so plots work on any sweep.csv.

if (!exists("csv")) {
  print "plot_sweep.gp: set csv='.../sweep.csv' with -e"
  exit status 2
}
if (!exists("outdir")) outdir = system(sprintf("dirname '%s'", csv))

# Columns of sweep.csv (bench/sweep_table.c).
c_backend = 1; c_series = 2; c_threads = 4; c_tpb = 7; c_rate = 11

set datafile separator comma
if (strstrt(GPVAL_TERMINALS, " pngcairo ") > 0) {
  set terminal pngcairo size 960,600 font ",10" noenhanced
  ext = "png"
} else {
  if (strstrt(GPVAL_TERMINALS, " png ") > 0) {
    set terminal png size 960,600 noenhanced
    ext = "png"
  } else {
    set terminal svg size 960,600 noenhanced
    ext = "svg"
  }
}

series_of(filter) = system(sprintf( \
  "awk -F, 'NR > 1 && (%s) { print $2 }' '%s' | awk '!seen[$0]++' | tr '\\n' ' '", \
  filter, csv))

set grid
set offsets graph 0.03, graph 0.03, 0, 0
set style data linespoints
set pointsize 1.2
set key outside right top
set ylabel "hash rate (MH/s)"
set yrange [0:*]

cpu = series_of("$1 != \"cuda\" && $1 != \"fleet\"")
if (words(cpu) > 0) {
  set output outdir . "/sweep_cpu." . ext
  set title "bench sweep: CPU backends (" . csv . ")"
  set xlabel "hashing threads (reference: workers)"
  set xtics 1
  plot for [s in cpu] csv skip 1 \
    using (strcol(c_series) eq s ? column(c_threads) : NaN): \
          (strcol(c_series) eq s ? column(c_rate) / 1e6 : NaN) \
    with linespoints pt 7 title s
  unset output
}

gpu = series_of("$1 == \"cuda\"")
if (words(gpu) > 0) {
  set output outdir . "/sweep_cuda." . ext
  set title "bench sweep: CUDA (" . csv . ")"
  set xlabel "threads per block"
  set logscale x 2
  set xtics auto
  plot for [s in gpu] csv skip 1 \
    using (strcol(c_series) eq s ? column(c_tpb) : NaN): \
          (strcol(c_series) eq s ? column(c_rate) / 1e6 : NaN) \
    with linespoints pt 7 title s
  unset output
}
