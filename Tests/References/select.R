# Reference values for `select` (Tests/ModelsTests/FeatureSelectionTests.swift): R's step()
# on sessions/data, printing each step's extractAIC. Run: Rscript Tests/References/select.R
d <- read.csv("sessions/data/diabetes.csv")
n <- nrow(d)
show <- function(fit) {
  a <- fit$anova
  cat(sprintf("%s %.10f\n", a$Step, a$AIC), sep = "")
  cat("chosen:", attr(terms(fit), "term.labels"), "\n\n")
}
full <- Y ~ AGE + SEX + BMI + BP + S1 + S2 + S3 + S4 + S5 + S6
cat("linear forward AIC\n")
show(step(lm(Y ~ 1, d), scope = full, direction = "forward", trace = 0))
cat("linear backward BIC\n")
show(step(lm(full, d), direction = "backward", k = log(n), trace = 0))
b <- read.csv("sessions/data/breast_cancer.csv")
b$y <- as.integer(b$diagnosis == levels(factor(b$diagnosis))[2])
cat("logistic forward AIC\n")
show(step(glm(y ~ 1, binomial, b), scope = y ~ mean_radius + mean_texture + mean_smoothness + mean_symmetry + mean_fractal_dimension,
          direction = "forward", trace = 0))
