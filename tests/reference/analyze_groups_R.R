# The R reference values of analyze_groups_R.json: the tests `cohort-reanalysis analyze
# --group` prints between the groups, on the change after - before.
#
#   Rscript tests/reference/analyze_groups_R.R > analyze_groups_R.out.json
#
# Run from the repository root. Two groups: the sexes of datasets/matsuoka2025/patients.csv
# (Welch's t of M against F, and the rank-sum test). Three groups: the arms of
# tests/reference/analyze_groups_arms.csv (ties, an unchanged patient, a row without an
# after value, which is left out): Kruskal-Wallis, the one-way ANOVA and Welch's ANOVA.
# Numbers are printed with 17 significant digits. Base R only.

num <- function(x) {
  if (x == round(x) && abs(x) < 1e15) sprintf("%.0f", x) else sprintf("%.17g", x)
}
json <- function(x, indent = "") {
  inner <- paste0(indent, " ")
  if (is.list(x)) {
    keys <- names(x)
    items <- vapply(seq_along(x), function(i) {
      paste0(inner, "\"", keys[i], "\": ", json(x[[i]], inner))
    }, "")
    return(paste0("{\n", paste(items, collapse = ",\n"), "\n", indent, "}"))
  }
  x <- unname(x)
  if (length(x) == 1) return(num(x))
  paste0("[\n", paste0(inner, vapply(x, num, ""), collapse = ",\n"), "\n", indent, "]")
}

d <- read.csv("datasets/matsuoka2025/patients.csv", stringsAsFactors = FALSE)
change <- d$hba1c_after - d$hba1c_before
male <- change[d$sex == "M"]
female <- change[d$sex == "F"]
welch <- t.test(male, female, var.equal = FALSE)
ranks <- wilcox.test(male, female, exact = FALSE, correct = TRUE)

arms <- read.csv("tests/reference/analyze_groups_arms.csv", stringsAsFactors = FALSE)
arms <- arms[!is.na(arms$before) & !is.na(arms$after), ]
arms$change <- arms$after - arms$before
kw <- kruskal.test(change ~ factor(arm), data = arms)
anova <- oneway.test(change ~ factor(arm), data = arms, var.equal = TRUE)
welch_anova <- oneway.test(change ~ factor(arm), data = arms, var.equal = FALSE)

out <- list(
  sex = list(
    welch = list(
      t = welch$statistic, df = welch$parameter, p = welch$p.value,
      difference = unname(welch$estimate[1] - welch$estimate[2]),
      ci = welch$conf.int
    ),
    rank_sum = list(w = ranks$statistic, p = ranks$p.value)
  ),
  arms = list(
    n = nrow(arms),
    kruskal = list(h = kw$statistic, df = kw$parameter, p = kw$p.value),
    anova = list(f = anova$statistic, df = anova$parameter, p = anova$p.value),
    welch_anova = list(
      f = welch_anova$statistic, df = welch_anova$parameter, p = welch_anova$p.value
    )
  )
)
cat(json(out), "\n", sep = "")
