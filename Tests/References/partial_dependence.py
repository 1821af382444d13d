# Reference for `explain MODEL on DATA feature=X` (Tests/ModelsTests/ModelUpdateTests.swift,
# testPartialDependenceMatchesSklearn): sklearn's partial_dependence, method brute, 5 points.
import pandas as pd
from sklearn.inspection import partial_dependence
from sklearn.linear_model import LinearRegression
d = pd.read_csv("sessions/data/diabetes.csv")
X, y = d.drop(columns="Y"), d["Y"]
r = partial_dependence(LinearRegression().fit(X, y), X, ["BMI"], method="brute", grid_resolution=5)
print(list(r["grid_values"][0]), list(r["average"][0]))
