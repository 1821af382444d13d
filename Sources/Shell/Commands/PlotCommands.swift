import Diagnostics
import Foundation
import Models
import Plotting
import Store
import Tabular

/// `plot`: figures of data and models, drawn in the terminal or written as SVG files.
enum PlotCommands {
    static let all: [CommandSpec] = [plot]

    /// `[to PATH]`, which every form ends with.
    private static let file: [Slot] = [.keyword("to"), .value(name: "PATH", kind: .path, optional: true)]
    private static let byOption = OptionSpec("by", .column(of: "DATA"), "draw each value of this column apart (at most 10)")

    static let plot = CommandSpec(
        "plot", category: .plots,
        summary: "Draw a histogram, scatter or box plot of data, or a model's residuals, curves, matrix, coefficients, learning curve or monitoring history",
        details: """
        Draws in the terminal, or with to "FILE.svg" writes a standalone SVG file instead.
        Of data: hist (bins= equal bins, default Sturges' number on round edges), scatter of
        Y against X (line=yes adds the least-squares line), box (quartiles, whiskers to the
        furthest value within 1.5 IQR, outliers beyond); by= draws each group apart.
        Of a regression model on DATA: residuals against fitted values, qq (normal Q-Q of the
        residuals, line through the quartiles), pred (predicted against actual). Of a
        classifier on DATA: roc and pr curves (one-vs-rest for more than two classes), and the
        confusion matrix. Of a model alone: importance (the kind's own, as explain MODEL) and
        coef (estimates with 1.96 standard errors either side where the fit has them). Of a
        version's monitoring entries: monitor (the key metric of each entry with labels, beside
        training's and the line below which monitor history flags it; plot history is the old
        name). learning-curve KIND DATA target=… draws what the learning-curve command
        tabulates, ± one sd of the folds. Terminal
        plots use Unicode and colour on a terminal and plain ASCII elsewhere (set plot to choose).
        """,
        example: "plot hist iris Sepal.Length by=Species\nplot scatter iris Petal.Length Petal.Width line=yes\nplot roc flowers on iris to \"roc.svg\"",
        changesState: false,
        forms: [
            CommandForm([.subcommand("hist"), .value(name: "DATA", kind: .dataset), .value(name: "COLUMN", kind: .column(of: "DATA"))] + file,
                        options: [OptionSpec("bins", .integer(minimum: 1, maximum: 1000), "how many equal bins (default: Sturges' rule on round edges)"), byOption]) { invocation, context in
                let values = try invocation.at("COLUMN") { try DataFigures.numbers(invocation.dataset("DATA"), invocation.text("COLUMN")!) }
                try draw(invocation, context) {
                    try DataFigures.histogram(values, column: invocation.text("COLUMN")!, bins: invocation.integer("bins"), in: sample(invocation))
                }
            },
            CommandForm([.subcommand("scatter"), .value(name: "DATA", kind: .dataset), .value(name: "X", kind: .column(of: "DATA")),
                         .value(name: "Y", kind: .column(of: "DATA"))] + file,
                        options: [byOption, OptionSpec("line", .switch, "add the least-squares line (one per group with by=)")]) { invocation, context in
                let xs = try invocation.at("X") { try DataFigures.numbers(invocation.dataset("DATA"), invocation.text("X")!) }
                let ys = try invocation.at("Y") { try DataFigures.numbers(invocation.dataset("DATA"), invocation.text("Y")!) }
                try draw(invocation, context) {
                    try DataFigures.scatter(xs, ys, x: invocation.text("X")!, y: invocation.text("Y")!,
                                            line: invocation.switchValue("line") ?? false, in: sample(invocation))
                }
            },
            CommandForm([.subcommand("box"), .value(name: "DATA", kind: .dataset), .value(name: "COLUMN", kind: .column(of: "DATA"))] + file,
                        options: [byOption]) { invocation, context in
                let values = try invocation.at("COLUMN") { try DataFigures.numbers(invocation.dataset("DATA"), invocation.text("COLUMN")!) }
                try draw(invocation, context) {
                    try DataFigures.box(values, column: invocation.text("COLUMN")!, by: invocation.text("by"), in: sample(invocation))
                }
            },
            predictionForm("residuals") { $0.residuals },
            predictionForm("qq") { $0.quantiles },
            predictionForm("pred") { $0.predicted },
            predictionForm("roc") { $0.roc },
            predictionForm("pr") { $0.precisionRecall },
            CommandForm([.subcommand("confusion"), .value(name: "MODEL", kind: .model), .keyword("on"), .value(name: "DATA", kind: .dataset)] + file) { invocation, context in
                try draw(invocation, context) { try figures(invocation).confusion(on: invocation.dataset("DATA"), named: invocation.name("DATA")!) }
            },
            CommandForm([.subcommand("importance"), .value(name: "MODEL", kind: .model)] + file) { invocation, context in
                try draw(invocation, context) { try figures(invocation).importance() }
            },
            CommandForm([.subcommand("coef"), .value(name: "MODEL", kind: .model)] + file) { invocation, context in
                try draw(invocation, context) { try figures(invocation).coefficients() }
            },
            CommandForm([.subcommand("learning-curve", aliases: ["learning_curve"]), .value(name: "KIND", kind: .modelKind), .value(name: "DATA", kind: .dataset)] + file,
                        options: OptimisationCommands.learningCurveOptions, modelKindOptionsFrom: "KIND") { invocation, context in
                let (curve, _) = try OptimisationCommands.learningCurve(invocation)
                try draw(invocation, context) { CurveFigures.learningCurve(curve, kind: invocation.text("KIND")!, dataName: invocation.name("DATA")!) }
            },
            CommandForm([.subcommand("monitor", aliases: ["history"]), .value(name: "MODEL", kind: .model)] + file,
                        options: [OptionSpec("drop", .number, "the fall below training's key metric that monitor history flags")]) { invocation, context in
                let id = invocation.modelVersion("MODEL")
                let version = context.state.variables.registry.version(id)!
                let drop = try MonitoringCommands.drop(invocation, context)
                try draw(invocation, context) { try CurveFigures.monitoringHistory(version, id: id, drop: drop) }
            },
        ])

    /// `plot KIND MODEL on DATA`: a figure of the model's predictions beside DATA's target.
    private static func predictionForm(_ kind: String, _ figure: @escaping @Sendable (ModelFigures) -> (ScoredRows, String) throws -> Figure) -> CommandForm {
        CommandForm([.subcommand(kind), .value(name: "MODEL", kind: .model), .keyword("on"), .value(name: "DATA", kind: .dataset)] + file) { invocation, context in
            let scored = try invocation.at("DATA") { try invocation.model("MODEL").scoredRows(on: invocation.dataset("DATA")).rows }
            try draw(invocation, context) { try figure(figures(invocation))(scored, invocation.name("DATA")!) }
        }
    }

    private static func figures(_ invocation: Invocation) -> ModelFigures {
        ModelFigures(model: invocation.model("MODEL"), modelName: invocation.name("MODEL")!)
    }

    /// DATA's rows, in the groups of by= if given.
    private static func sample(_ invocation: Invocation) throws -> DataFigures.Sample {
        let data = invocation.dataset("DATA")
        let groups = try invocation.text("by").map { by in try invocation.at("by") { try DataFigures.groupRows(data, by) } }
        return DataFigures.Sample(datasetName: invocation.name("DATA")!, rowCount: data.rowCount, groups: groups ?? [("", Array(0 ..< data.rowCount))])
    }

    /// Makes the figure (errors point at the subject), keeps it with the cell, and draws it in
    /// the terminal or writes it to PATH as SVG.
    private static func draw(_ invocation: Invocation, _ context: CommandContext, _ make: () throws -> Figure) throws {
        let figure = try invocation.at(invocation.has("MODEL") ? "MODEL" : "DATA", make)
        if let path = invocation.text("PATH") {
            try invocation.at("PATH") { try AtomicFile.write(Data(SVGRenderer.render(figure).utf8), to: path) }
            context.emit(.text("wrote \"\(path)\": \(figure.title)"))
        } else {
            context.emit(TerminalRenderer.render(figure, style: terminalStyle(context)))
        }
        context.session.keep(figure)
    }

    /// Unicode with colour on a terminal that allows it; ASCII at the default width elsewhere,
    /// unless `set plot` says otherwise.
    static func terminalStyle(_ context: CommandContext) -> TerminalStyle {
        let terminal = context.session.sink.terminal
        let characters: TerminalStyle.Characters = switch context.state.settings.plot {
        case .auto: terminal == nil ? .ascii : .unicode
        case .unicode: .unicode
        case .ascii: .ascii
        }
        return TerminalStyle(characters: characters, colour: terminal?.colour ?? false, width: terminal?.width ?? TerminalDisplay.defaultWidth)
    }
}
