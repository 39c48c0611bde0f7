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
#
# Reading a plot: each series has a colour of its own. A series' kernel path
# (its name without /pinned or /unpinned) picks the hue; pinned threads draw
# a solid line with filled points in the dark shade, unpinned threads a
# dashed line with open points in the light shade. The fastest point is
# ringed and labelled. The x axis has a tic at each measured value, on a
# log2 scale when the values are powers of two spanning 8x or more.
#
# With -e "styles_only=1" nothing is drawn: each series' style is printed as
# "style<TAB>plot<TAB>series<TAB>colour<TAB>dash<TAB>point" and the fastest
# point as "best<TAB>plot<TAB>series<TAB>x<TAB>rate" (the test suite reads
# these).

if (!exists("csv")) {
  print "plot_sweep.gp: set csv='.../sweep.csv' with -e"
  exit status 2
}
if (!exists("outdir")) outdir = system(sprintf("dirname '%s'", csv))
if (!exists("styles_only")) styles_only = 0
if (styles_only) set print "-"

# Columns of sweep.csv (bench/sweep_table.c).
c_backend = 1; c_series = 2; c_threads = 4; c_tpb = 7; c_rate = 11
c_cpu_model = 15; c_gpu_name = 18

set datafile separator comma
if (!styles_only) {
  if (strstrt(GPVAL_TERMINALS, " pngcairo ") > 0) {
    set terminal pngcairo size 1100,640 font ",10" noenhanced
    ext = "png"
  } else {
    if (strstrt(GPVAL_TERMINALS, " png ") > 0) {
      set terminal png size 1100,640 noenhanced
      ext = "png"
    } else {
      set terminal svg size 1100,640 noenhanced
      ext = "svg"
    }
  }
}

# awk over the data rows that pass `filter` (an awk condition on $1..$N).
rows(filter, action) = system(sprintf( \
  "awk -F, 'NR > 1 && (%s) { %s }' '%s'", filter, action, csv))
series_of(filter) = system(sprintf( \
  "awk -F, 'NR > 1 && (%s) { print $2 }' '%s' | awk '!seen[$0]++' | tr '\\n' ' '", \
  filter, csv))
# The distinct x values, ascending.
xs_of(filter, col) = system(sprintf( \
  "awk -F, 'NR > 1 && (%s) { print $%d + 0 }' '%s' | sort -g | uniq | tr '\\n' ' '", \
  filter, col, csv))
# "series x rate" of the fastest row (the first of equals).
best_of(filter, col) = system(sprintf( \
  "awk -F, 'NR > 1 && (%s) && (!n++ || $%d + 0 > r) { r = $%d + 0; s = $2; x = $%d } END { if (n) print s, x + 0, r }' '%s'", \
  filter, c_rate, c_rate, col, csv))

# Field `col` of the first data row of the CUDA rows (want='cuda') or of
# the CPU rows (want='cpu'), reading RFC 4180 quotes: a device name may
# hold a comma (the columns read with -F, above all come before it).
first_field_prog = 'function csv(line, f,   n, i, c, q, cur) { n = 0; cur = ""; q = 0; for (i = 1; i <= length(line); i++) { c = substr(line, i, 1); if (q) { if (c == "\"") { if (substr(line, i + 1, 1) == "\"") { cur = cur c; i++ } else q = 0 } else cur = cur c } else if (c == "\"") q = 1; else if (c == ",") { f[++n] = cur; cur = "" } else cur = cur c } f[++n] = cur; return n } NR > 1 { csv($0, f); if (want == "cuda" ? f[1] == "cuda" : f[1] != "cuda" && f[1] != "fleet") { print f[col]; exit } }'
first_field(want, col) = system(sprintf("awk -v want=%s -v col=%d '%s' '%s'", \
  want, col, first_field_prog, csv))

# The lowest rate of the rows that pass `filter`.
min_of(filter) = system(sprintf( \
  "awk -F, 'NR > 1 && (%s) && (!n++ || $%d + 0 < r) { r = $%d + 0 } END { print r + 0 }' '%s'", \
  filter, c_rate, c_rate, csv))

# Hues, dark (pinned, or no pinning setting) and light (unpinned) shades;
# after 8 kernel paths the hues repeat with other dash types and points.
dark  = "#1f78b4 #e31a1c #33a02c #ff7f00 #6a3d9a #b15928 #01665e #000000"
light = "#74b3e0 #fb7c72 #86cf72 #fdb462 #ad94cf #dba27a #5ab4ac #8c8c8c"
ends(s, t) = strlen(s) >= strlen(t) && s[strlen(s) - strlen(t) + 1:] eq t
unpinned(s) = ends(s, "/unpinned")
family(s) = unpinned(s) ? s[1:strlen(s) - 9] : \
            ends(s, "/pinned") ? s[1:strlen(s) - 7] : s
is_pow2(v) = v >= 1 && v == int(v) && (int(v) & (int(v) - 1)) == 0

# Styles of the series in `list` into COL, DT, PT (index = word number).
# Needs: list.
fams = ""
n = 0
set_styles = "\
  n = words(list); \
  array COL[n]; array DT[n]; array PT[n]; \
  fams = ''; anyu = 0; \
  do for [i = 1:n] { \
    f = family(word(list, i)); \
    if (strstrt(' ' . fams . ' ', ' ' . f . ' ') == 0) { fams = fams . ' ' . f }; \
    fi = 0; \
    do for [k = 1:words(fams)] { if (word(fams, k) eq f) { fi = k } }; \
    h = (fi - 1) % 8 + 1; cyc = (fi - 1) / 8; u = unpinned(word(list, i)); anyu = anyu || u; \
    COL[i] = word(u ? light : dark, h); \
    DT[i] = u ? (cyc == 0 ? 2 : cyc == 1 ? 4 : 3 + 2 * cyc) : (cyc == 0 ? 1 : cyc == 1 ? 5 : 4 + 2 * cyc); \
    PT[i] = u ? 6 + 2 * (cyc % 5) : 7 + 2 * (cyc % 5) \
  }; \
  if (anyu) { set key title pin_legend } else { set key notitle }"

# The x axis for the values `xs`: a tic at each (at most 16), log2 when they
# are powers of two spanning 8x or more; a range that fits them, also for
# one value (no empty-range warning).
set_xaxis = "\
  xmin = word(xs, 1) + 0; xmax = word(xs, words(xs)) + 0; \
  pow2 = 1; do for [k = 1:words(xs)] { if (!is_pow2(word(xs, k) + 0)) { pow2 = 0 } }; \
  unset logscale x; \
  if (pow2 && xmax >= 8 * xmin) { \
    set logscale x 2; set xrange [xmin / 1.4 : xmax * 1.4] \
  } else { \
    pad = xmax > xmin ? (xmax - xmin) * 0.08 : (xmin > 0 ? xmin * 0.5 : 1); \
    set xrange [xmin - pad : xmax + pad] \
  }; \
  if (words(xs) <= 16) { \
    tics = ''; \
    do for [k = 1:words(xs)] { tics = tics . (k > 1 ? ', ' : '') . word(xs, k) }; \
    eval('set xtics (' . tics . ')') \
  } else { set xtics autofreq }"

# The fastest point: ringed, labelled, with headroom above it. When every
# rate is within 10% of the fastest, the y axis spans only them (and says
# so), or the lines would lie on top of each other.
set_best = "\
  bs = word(best, 1); bx = word(best, 2) + 0; br = word(best, 3) / 1e6; \
  lo = ymin / 1e6; \
  if (br > 0 && lo >= 0.9 * br && lo < br) { \
    set yrange [lo - (br - lo) * 0.3 : br + (br - lo) * 0.5]; \
    set ylabel sprintf('hash rate (MH/s; the axis starts at %.4g, not 0)', lo - (br - lo) * 0.3) \
  } else { \
    set yrange [0 : (br > 0 ? br * 1.2 : 1)]; \
    set ylabel 'hash rate (MH/s)' \
  }; \
  unset label 1; \
  set label 1 sprintf('fastest: %s, %s %g: %.3f MH/s', bs, xunit, bx, br) \
      at graph 0.02, graph 0.96 left front; \
  unset label 2; \
  if (bx >= xmax && xmax > xmin) { \
    set label 2 sprintf('%.3f', br) at bx, br offset -1.8, 1.2 right front \
  } else { \
    set label 2 sprintf('%.3f', br) at bx, br offset 1.8, 1.2 left front \
  }"

print_styles = "\
  do for [i = 1:n] { print sprintf('style\t%s\t%s\t%s\t%d\t%d', plotname, word(list, i), COL[i], DT[i], PT[i]) }; \
  print sprintf('best\t%s\t%s\t%g\t%.0f', plotname, word(best, 1), word(best, 2) + 0, word(best, 3) + 0)"

set grid
set style data linespoints
set pointsize 1.2
set key outside right top
pin_legend = "solid, filled: pinned\ndashed, open: unpinned"
set ylabel "hash rate (MH/s)"

cpu_filter = "$1 != \"cuda\" && $1 != \"fleet\""
list = series_of(cpu_filter)
if (words(list) > 0) {
  plotname = "cpu"
  xunit = "threads"
  eval(set_styles)
  xs = xs_of(cpu_filter, c_threads)
  best = best_of(cpu_filter, c_threads)
  ymin = min_of(cpu_filter) + 0
  if (styles_only) {
    eval(print_styles)
  } else {
    model = first_field("cpu", c_cpu_model)
    set output outdir . "/sweep_cpu." . ext
    set title "bench sweep: CPU backends on " . model . "\n" . csv
    set xlabel "hashing threads (reference: workers)"
    eval(set_xaxis)
    eval(set_best)
    plot for [i = 1:n] csv skip 1 \
      using (strcol(c_series) eq word(list, i) ? column(c_threads) : NaN): \
            (strcol(c_series) eq word(list, i) ? column(c_rate) / 1e6 : NaN) \
      with linespoints lw 2 lc rgb COL[i] dt DT[i] pt PT[i] title word(list, i), \
      '+' using (bx):(br) every ::0::0 with points pt 6 ps 3.5 lw 2 lc rgb "black" title "fastest"
    unset output
  }
}

gpu_filter = "$1 == \"cuda\""
list = series_of(gpu_filter)
if (words(list) > 0) {
  plotname = "cuda"
  xunit = "tpb"
  eval(set_styles)
  xs = xs_of(gpu_filter, c_tpb)
  best = best_of(gpu_filter, c_tpb)
  ymin = min_of(gpu_filter) + 0
  if (styles_only) {
    eval(print_styles)
  } else {
    model = first_field("cuda", c_gpu_name)
    set output outdir . "/sweep_cuda." . ext
    set title "bench sweep: CUDA on " . model . "\n" . csv
    set xlabel "threads per block"
    eval(set_xaxis)
    eval(set_best)
    plot for [i = 1:n] csv skip 1 \
      using (strcol(c_series) eq word(list, i) ? column(c_tpb) : NaN): \
            (strcol(c_series) eq word(list, i) ? column(c_rate) / 1e6 : NaN) \
      with linespoints lw 2 lc rgb COL[i] dt DT[i] pt PT[i] title word(list, i), \
      '+' using (bx):(br) every ::0::0 with points pt 6 ps 3.5 lw 2 lc rgb "black" title "fastest"
    unset output
  }
}
