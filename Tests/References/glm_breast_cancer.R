# Reference values for Tests/ModelsTests/LogisticModelTests.swift: R 4.2 glm(family = binomial) on the
# breast cancer sample (sessions/data/breast_cancer.csv), printed to 17 significant digits.
# Run from the repository root: Rscript Tests/References/glm_breast_cancer.R
bc <- read.csv("sessions/data/breast_cancer.csv", stringsAsFactors = TRUE)
m <- glm(diagnosis ~ mean_radius + mean_texture + mean_smoothness, family = binomial, data = bc)
print(summary(m))
print(coef(summary(m)), digits = 17)
cat(sprintf("deviance %.17g null %.17g aic %.17g iter %d\n", m$deviance, m$null.deviance, m$aic, m$iter))
