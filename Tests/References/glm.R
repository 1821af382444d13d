# Reference values for Tests/NumericsTests/LogisticRegressionTests.swift (binary, unpenalised):
# R's glm(family = binomial), printed to 17 significant digits. Run: Rscript Tests/References/glm.R
data <- "/work/main/sessions/data"
iris <- read.csv(file.path(data, "iris.csv"))
iris$versicolor <- as.numeric(iris$Species == "versicolor")
iris$virginica <- as.numeric(iris$Species == "virginica")
iris$Sepal.Sum <- iris$Sepal.Length + iris$Sepal.Width
diabetes <- read.csv(file.path(data, "diabetes.csv"))
diabetes$high <- as.numeric(diabetes$Y > 140)

report <- function(name, formula, data) {
  warnings <- character()
  m <- withCallingHandlers(glm(formula, family = binomial, data = data),
                           warning = function(w) { warnings <<- c(warnings, conditionMessage(w)); invokeRestart("muffleWarning") })
  cat("==", name, "==\n")
  print(coef(summary(m)), digits = 17)
  cat("aliased:", names(which(is.na(coef(m)))), "\n")
  cat(sprintf("deviance %.17g null %.17g df %d null.df %d aic %.17g iter %d converged %s\n",
              m$deviance, m$null.deviance, m$df.residual, m$df.null, m$aic, m$iter, m$converged))
  cat(sprintf("fitted[1,51,101,150] %s\n", paste(sprintf("%.17g", fitted(m)[c(1, 51, 101, 150)]), collapse = " ")))
  cat("warnings:", warnings, sep = "\n  ")
  cat("\n")
}

report("iris versicolor ~ all four", versicolor ~ Sepal.Length + Sepal.Width + Petal.Length + Petal.Width, iris)
report("iris versicolor ~ 0 + sepals", versicolor ~ 0 + Sepal.Length + Sepal.Width, iris)
report("iris versicolor, duplicate column", versicolor ~ Sepal.Length + Sepal.Width + Sepal.Sum + Petal.Length, iris)
report("iris virginica ~ sepals + petal length (probabilities 0 or 1)", virginica ~ Sepal.Length + Sepal.Width + Petal.Length, iris)
report("diabetes Y > 140 ~ all ten", high ~ AGE + SEX + BMI + BP + S1 + S2 + S3 + S4 + S5 + S6, diabetes)
separated <- data.frame(x = 1:10, y = c(0, 0, 0, 0, 0, 1, 1, 1, 1, 1))
report("complete separation, x = 1..10", y ~ x, separated)

# Multinomial on iris (setosa is linearly separable): nnet::multinom's deviance, 7 digits.
library(nnet)
iris$Species <- factor(iris$Species)
m <- multinom(Species ~ Sepal.Length + Sepal.Width + Petal.Length + Petal.Width, data = iris, trace = FALSE,
              maxit = 10000, reltol = 1e-16, abstol = 1e-300)
cat("== iris multinomial (separated) ==\ndeviance", deviance(m), "fitted range", range(fitted(m)), "\n")
