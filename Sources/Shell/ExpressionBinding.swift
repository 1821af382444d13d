import Diagnostics
import Language
import Tabular

/// Binds a parsed expression to a dataset's columns: resolves names (with "did you mean"),
/// picks functions, and type-checks every operator, so a mistake is reported before any row
/// is computed, with a caret at the sub-expression at fault.
struct ExpressionBinding {
    /// The columns an expression may read, with their types, in order.
    private(set) var columns: [(name: String, type: ColumnType)]
    let datasetName: String

    init(_ data: Dataset, named datasetName: String) {
        self.columns = data.columns.map { ($0.name, $0.type) }
        self.datasetName = datasetName
    }

    /// Makes a column `name` of `type` available to later expressions (derive's definitions).
    mutating func define(_ name: String, as type: ExpressionType) {
        let columnType: ColumnType = type == .text ? .categorical : ColumnType(rawValue: type.rawValue)!
        if let index = columns.firstIndex(where: { $0.name == name }) {
            columns[index].type = columnType
        } else {
            columns.append((name, columnType))
        }
    }

    /// Functions beyond NumericFunction, with their argument counts.
    private static let otherFunctions: [String: ClosedRange<Int>] = ["if": 3...3, "ifelse": 3...3, "lower": 1...1, "upper": 1...1, "number": 1...1]
    static var functionNames: [String] { (NumericFunction.allCases.map(\.rawValue) + otherFunctions.keys).sorted() }

    /// A condition: an expression of true/false values.
    func bindCondition(_ expression: ExpressionSyntax) throws -> ColumnExpression {
        let bound = try bind(expression)
        guard bound.type == .boolean else {
            throw ModelshError.usage("\(Self.quoted(expression)) is \(bound.typeName); a condition needs true/false values (a comparison, like x > 0)",
                                     at: expression.location)
        }
        return bound
    }

    func bind(_ expression: ExpressionSyntax) throws -> ColumnExpression {
        switch expression.kind {
        case .number(let value): return .number(value)
        case .string(let text): return .text(text)
        case .boolean(let value): return .boolean(value)
        case .name(let name):
            guard let column = columns.first(where: { $0.name == name }) else {
                if let difference = Self.difference(spelledAs: name, at: expression.location, among: columns.map(\.name)) {
                    return try bind(difference)
                }
                throw ModelshError.usage(EditDistance.unknown("column", name, in: "dataset '\(datasetName)'", among: columns.map(\.name)),
                                         at: expression.location)
            }
            return .column(column.name, column.type)
        case .negate(let operand):
            return try typed([operand]) { operands throws(ExpressionTypeError) in try .negating(operands[0]) }
        case .not(let operand):
            return try typed([operand]) { operands throws(ExpressionTypeError) in try .negation(operands[0]) }
        case .missingTest(let operand, let negated):
            let test = ColumnExpression.isMissing(try bind(operand))
            return negated ? .not(test) : test
        case .binary(let op, let left, let right):
            return try typed([left, right]) { operands throws(ExpressionTypeError) in try Self.binary(op, operands[0], operands[1]) }
        case .membership(let operand, let items, let negated):
            let test = try membership(operand, items)
            return negated ? .not(test) : test
        case .call(let name, let arguments):
            return try call(name, arguments, at: expression)
        }
    }

    private static func binary(_ op: BinaryOperator, _ left: ColumnExpression, _ right: ColumnExpression) throws(ExpressionTypeError) -> ColumnExpression {
        switch op {
        case .and: return try .logical(and: true, left, right)
        case .or: return try .logical(and: false, left, right)
        case .add: return try .combining(.add, left, right)
        case .subtract: return try .combining(.subtract, left, right)
        case .multiply: return try .combining(.multiply, left, right)
        case .divide: return try .combining(.divide, left, right)
        case .remainder: return try .combining(.remainder, left, right)
        case .power: return try .combining(.power, left, right)
        case .equal: return try .comparing(.equal, left, right)
        case .notEqual: return try .comparing(.notEqual, left, right)
        case .less: return try .comparing(.less, left, right)
        case .lessOrEqual: return try .comparing(.lessOrEqual, left, right)
        case .greater: return try .comparing(.greater, left, right)
        case .greaterOrEqual: return try .comparing(.greaterOrEqual, left, right)
        }
    }

    /// Binds the operands, then builds the node; a type error points at the operand at fault.
    /// `a-b` lexes as one word, so that a hyphenated column (`y-val`) can be written bare; when
    /// no column has that name but each part is one, it means a minus b, as it would in R.
    private static func difference(spelledAs name: String, at location: SourceLocation, among columns: [String]) -> ExpressionSyntax? {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1, parts.allSatisfy(columns.contains) else { return nil }
        let names = parts.map { ExpressionSyntax(.name($0), at: location, text: $0) }
        return names.dropFirst().reduce(names[0]) { left, right in
            ExpressionSyntax(.binary(.subtract, left, right), at: location, text: "\(left.text)-\(right.text)")
        }
    }

    private func typed(_ operands: [ExpressionSyntax],
                       _ build: ([ColumnExpression]) throws(ExpressionTypeError) -> ColumnExpression) throws -> ColumnExpression {
        let bound = try operands.map { try bind($0) }
        do {
            return try build(bound)
        } catch {
            let culprit = operands[error.operand]
            var fault = "\(Self.quoted(culprit)) is \(bound[error.operand].typeName)"
            if let other = error.other { fault = "\(Self.quoted(operands[other])) is \(bound[other].typeName) and " + fault }
            throw ModelshError.usage("\(fault); \(error.requirement)", at: culprit.location)
        }
    }

    private func membership(_ operand: ExpressionSyntax, _ items: [ExpressionSyntax]) throws -> ColumnExpression {
        var numbers: [Double] = []
        var texts: [String] = []
        for item in items {
            switch item.kind {
            case .number(let value): numbers.append(value)
            case .boolean(let value): numbers.append(value ? 1 : 0)
            case .string(let text): texts.append(text)
            default: preconditionFailure("the parser admits only literals after 'in'")
            }
            if !numbers.isEmpty, !texts.isEmpty {
                throw ModelshError.usage("the list after 'in' mixes numbers and text", at: item.location)
            }
        }
        return try typed([operand]) { operands throws(ExpressionTypeError) in
            // An empty list takes the operand's kind.
            let isText = texts.isEmpty && numbers.isEmpty ? operands[0].type == .text : !texts.isEmpty
            return isText ? try .membership(operands[0], texts: texts) : try .membership(operands[0], numbers: numbers)
        }
    }

    private func call(_ name: String, _ arguments: [ExpressionSyntax], at expression: ExpressionSyntax) throws -> ColumnExpression {
        let function = NumericFunction(rawValue: name)
        guard let arity = function?.arity ?? Self.otherFunctions[name] else {
            throw ModelshError.usage(EditDistance.unknown("function", name, among: Self.functionNames,
                                                          listing: "functions: " + Self.functionNames.joined(separator: ", ")),
                                     at: expression.location)
        }
        guard arity.contains(arguments.count) else {
            let wanted = arity.count == 1 ? "\(arity.lowerBound)" : "\(arity.lowerBound) or \(arity.upperBound)"
            throw ModelshError.usage("\(name)() takes \(wanted) argument\(arity.upperBound == 1 ? "" : "s"), found \(arguments.count)",
                                     at: expression.location)
        }
        return try typed(arguments) { operands throws(ExpressionTypeError) in
            switch name {
            case "if", "ifelse": return try .choice(operands[0], operands[1], operands[2])
            case "lower", "upper": return try .changingCase(upper: name == "upper", operands[0])
            case "number": return try .readingNumber(operands[0])
            default: return try .call(function!, operands)
            }
        }
    }

    /// A string literal as written (`"Oslo"`), anything else in single quotes (`'age + 1'`).
    private static func quoted(_ expression: ExpressionSyntax) -> String {
        if case .string = expression.kind { return expression.text }
        return "'\(expression.text)'"
    }
}
