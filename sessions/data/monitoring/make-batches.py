"""Writes the monitoring transcript's data from ../diabetes.csv and ../gaps.csv (run once;
the CSVs are committed): the first 300 diabetes rows to fit on, the remaining 142 as they
are (batch1) and shifted (batch2: AGE + 8, BMI x 1.15 + 2, every 7th BP missing), a broken
copy of 20 rows (S6 dropped, SEX as text, an extra column), and new rows for gaps.csv's
model with an unseen group and a value outside the training range."""
import csv

with open("../diabetes.csv") as f:
    rows = list(csv.reader(f))
header, body = rows[0], rows[1:]

def write(name, header, rows):
    with open(name, "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([header] + rows)

write("reference.csv", header, body[:300])
write("batch1.csv", header, body[300:])
shifted = []
for i, row in enumerate(body[300:]):
    row = list(row)
    row[0] = str(int(row[0]) + 8)
    row[2] = f"{float(row[2]) * 1.15 + 2:.1f}"
    if i % 7 == 0:
        row[3] = ""
    shifted.append(row)
write("batch2.csv", header, shifted)
broken_header = [h for h in header if h != "S6"] + ["note"]
broken = []
for i, row in enumerate(body[300:320]):
    values = dict(zip(header, row))
    values["SEX"] = "F" if values["SEX"] == "1" else "M"
    values["note"] = f"visit {i + 1}"
    broken.append([values[h] for h in broken_header[:-1]] + [values["note"]])
write("broken.csv", broken_header, broken)
write("gaps_new.csv", ["y", "x", "z", "group"], [["5.0", "2.5", "1.0", "a"], ["6.1", "3.5", "1.2", "c"], ["9.9", "40", "2.2", "b"], ["4.4", "1.5", "0.9", "c"]])
