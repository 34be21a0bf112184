# analysis.R: a starting point for analysing a `detente mc` batch in base R
# (plus jsonlite for the summary). Run a batch, then this script:
#
#   detente mc scripts/new_start_2026.lua --runs 1000 --sweep p_rus_hold=0.5,0.9 \
#     --out runs.csv --summary summary.json
#   Rscript examples/analysis.R runs.csv summary.json limits_hold_2027 rus_deployed_warheads
#
# Arguments (all optional): the runs file, the summary, a boolean outcome and a
# numeric outcome (the defaults are the flagship's). It prints, per sweep
# point, the probability of the boolean outcome with its 95% interval, the
# numeric outcome's mean and quantiles and a histogram, then compares the sweep
# points; it also draws the histograms into hist_<outcome>.png. The figures
# are computed from the runs file and agree with detente's own summary to the
# precision printed (tests/cli/analysis_examples.sh checks this).

library(jsonlite)

args <- commandArgs(trailingOnly = TRUE)
arg <- function(i, default) if (length(args) >= i) args[[i]] else default
runs_file <- arg(1, "runs.csv")
summary_file <- arg(2, "summary.json")
bool_name <- arg(3, "limits_hold_2027")
num_name <- arg(4, "rus_deployed_warheads")

# The one-line read: booleans come out logical, missing values NA, the seed as
# text (docs/formats.md#reading-the-runs-file).
runs <- read.csv(runs_file)
summ <- fromJSON(summary_file, simplifyVector = FALSE)

ok <- runs[runs$status == "ok", ]
if (!"point" %in% names(ok)) ok$point <- 0L
sweep <- summ$sweep   # list of {param, values}
point_label <- function(p) {
  if (length(sweep) == 0) return(sprintf("point %d", p))
  vals <- ok[ok$point == p, vapply(sweep, function(s) s$param, ""), drop = FALSE][1, , drop = FALSE]
  sprintf("point %d (%s)", p, paste(names(vals), unlist(vals), sep = "=", collapse = ", "))
}

# Wilson score interval, as detente computes it (z for 95%).
wilson <- function(k, n, z = qnorm(0.975)) {
  p <- k / n
  centre <- (p + z^2 / (2 * n)) / (1 + z^2 / n)
  half <- z * sqrt(p * (1 - p) / n + z^2 / (4 * n^2)) / (1 + z^2 / n)
  c(centre - half, centre + half)
}

cat(sprintf("%s: %d runs, %d ok (seed %s)\n\n", summ$scenario$title, nrow(runs), nrow(ok), summ$seed))
points <- sort(unique(ok$point))
probs <- c()
for (p in points) {
  here <- ok[ok$point == p, ]
  b <- here[[bool_name]]
  b <- b[!is.na(b)]
  k <- sum(b); n <- length(b)
  ci <- wilson(k, n)
  probs <- c(probs, k / n)
  cat(sprintf("%s\n", point_label(p)))
  cat(sprintf("  P(%s) = %.3f  95%% CI [%.3f, %.3f]  (n = %d)\n", bool_name, k / n, ci[1], ci[2], n))

  x <- here[[num_name]]
  x <- x[!is.na(x)]
  q <- quantile(x, c(0.05, 0.5, 0.95), type = 7, names = FALSE)   # type 7 = detente's
  cat(sprintf("  %s: mean %.4g  sd %.4g  min %.4g  p5 %.4g  median %.4g  p95 %.4g  max %.4g  (n = %d)\n",
              num_name, mean(x), sd(x), min(x), q[1], q[2], q[3], max(x), length(x)))
  if (max(x) > min(x)) {
    h <- hist(x, breaks = seq(min(x), max(x), length.out = 17), plot = FALSE)
    cat(sprintf("  histogram: %s\n", paste(h$counts, collapse = " ")))
  }
}

# Comparing the sweep points: the change in probability from the first point to
# each other one, with a two-sample test of equal proportions.
if (length(points) > 1) {
  cat("\ncomparison across the sweep\n")
  b0 <- ok[ok$point == points[1], bool_name]; b0 <- b0[!is.na(b0)]
  for (i in seq_along(points)[-1]) {
    bi <- ok[ok$point == points[i], bool_name]; bi <- bi[!is.na(bi)]
    t <- prop.test(c(sum(bi), sum(b0)), c(length(bi), length(b0)))
    cat(sprintf("  P(%s): point %d minus point %d = %+.3f  (95%% CI [%+.3f, %+.3f], p-value %.3g)\n",
                bool_name, points[i], points[1], probs[i] - probs[1], t$conf.int[1], t$conf.int[2], t$p.value))
  }
}

# The histograms as a picture.
png(sprintf("hist_%s.png", num_name), width = 800, height = 300 * length(points))
par(mfrow = c(length(points), 1))
for (p in points) {
  x <- ok[ok$point == p, num_name]
  hist(x[!is.na(x)], breaks = 16, main = point_label(p), xlab = num_name, col = "grey")
}
invisible(dev.off())
