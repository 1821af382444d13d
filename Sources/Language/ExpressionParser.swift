import Diagnostics

/// Expressions in a value position, by precedence climbing. Loosest to tightest: `or`, `and`,
/// `not`, comparisons with `in` and `is missing` (which do not chain), `+ -`, `* / %`, unary
/// minus, `^` (right-associative, so `-2^2` is -4 and `2^3^2` is 512, as in R).
extension Parser {
    /// Input ended inside parentheses: the REPL reads another line.
    private struct IncompleteExpression: Error {}

    /// Parentheses, calls and prefix operators nest at most this deep, so no input can
    /// exhaust the stack.
    private static let maximumDepth = 64
    private static let notPrecedence = 3
    private static let negatePrecedence = 7
    /// Words that are operators inside an expression, so never column names there.
    private static let operatorWords: Set<String> = ["and", "or", "not", "in", "is", "as"]

    mutating func parseExpressionValue() throws -> LocatedValue? {
        do {
            let expression = try parseBinary(minimum: 1, depth: 0)
            return LocatedValue(.expression(expression), at: expression.location)
        } catch is IncompleteExpression {
            return nil
        }
    }

    /// Whether the value here can only be an expression (`(x)`, `-x`, `not x`, `log(x)`, `` `x` ``).
    var startsExpression: Bool {
        switch current.kind {
        case .symbol("("), .quotedName: return true
        case .symbol("-"):
            if case .number = next.kind { return false }
            return true
        case .word("not"): return startsOperand(next)
        case .word: return next.isSymbol("(") && adjacent(current, next)
        default: return false
        }
    }

    /// Whether an operator follows the value just read.
    var continuesExpression: Bool {
        if currentOperator != nil { return true }
        return current.isWord("in") || current.isWord("is") || (current.isWord("not") && next.isWord("in"))
    }

    private func startsOperand(_ token: Token) -> Bool {
        switch token.kind {
        case .number, .string, .quotedName, .symbol("("), .symbol("-"): return true
        case .word(let word): return !Self.operatorWords.contains(word) || word == "not"
        default: return false
        }
    }

    /// Tokens written with nothing between them.
    private func adjacent(_ first: Token, _ second: Token) -> Bool {
        first.range.upperBound == second.range.lowerBound
    }

    /// The binary operator here, if any. Outside parentheses a `-` with a
    /// space before it and none after starts a new value, as a prefix (`where -x > 1`,
    /// `rerun 2 -3`), like Swift's rule for prefix operators.
    private var currentOperator: BinaryOperator? {
        if current.isSymbol("-"), position > 0, !adjacent(tokens[position - 1], current), adjacent(current, next), !isInsideParentheses {
            return nil
        }
        switch current.kind {
        case .symbol(let symbol): return BinaryOperator(rawValue: symbol)
        case .word("and"): return .and
        case .word("or"): return .or
        default: return nil
        }
    }

    // MARK: - Operators

    private mutating func parseBinary(minimum: Int, depth: Int) throws -> ExpressionSyntax {
        guard depth < Self.maximumDepth else {
            throw ModelshError.usage("expression nested too deeply (at most \(Self.maximumDepth) levels)", at: current.location)
        }
        let start = position
        var left = try parsePrefix(depth: depth)
        while true {
            if current.isWord("in") || current.isWord("is") || (current.isWord("not") && next.isWord("in")) {
                guard minimum <= 4 else { break }
                left = try parsePostfixTest(left, start: start)
            } else if let op = currentOperator, op.precedence >= minimum {
                position += 1
                // `^` is right-associative; the others group to the left.
                let right = try parseBinary(minimum: op == .power ? op.precedence : op.precedence + 1, depth: depth + 1)
                left = node(.binary(op, left, right), from: start)
            } else {
                break
            }
            if left.kind.isTest, continuesTest {
                throw ModelshError.usage("comparisons do not chain: write 'a < b and b < c'", at: current.location)
            }
        }
        return left
    }

    private var continuesTest: Bool {
        currentOperator?.isComparison == true || current.isWord("in") || current.isWord("is")
    }

    private mutating func parsePrefix(depth: Int) throws -> ExpressionSyntax {
        let start = position
        if current.isWord("not") {
            position += 1
            let operand = try parseBinary(minimum: Self.notPrecedence, depth: depth + 1)
            return node(.not(operand), from: start)
        }
        if current.isSymbol("-") {
            position += 1
            let operand = try parseBinary(minimum: Self.negatePrecedence, depth: depth + 1)
            if case .number(let value) = operand.kind { return node(.number(-value), from: start) }
            return node(.negate(operand), from: start)
        }
        return try parsePrimary(depth: depth)
    }

    /// `x in [..]`, `x not in [..]`, `x is missing`, `x is not missing`.
    private mutating func parsePostfixTest(_ operand: ExpressionSyntax, start: Int) throws -> ExpressionSyntax {
        if current.isWord("is") {
            position += 1
            let negated = current.isWord("not")
            if negated { position += 1 }
            guard current.isWord("missing") else {
                throw ModelshError.usage("expected 'missing' after 'is'\(negated ? " not" : "") (x is missing, x is not missing)", at: current.location)
            }
            position += 1
            return node(.missingTest(operand, negated: negated), from: start)
        }
        let negated = current.isWord("not")
        position += negated ? 2 : 1
        guard current.isSymbol("[") else {
            throw ModelshError.usage("expected a list after 'in', like [1, 2] or [\"a\", \"b\"]", at: current.location)
        }
        position += 1
        var items: [ExpressionSyntax] = []
        while !current.isSymbol("]") {
            if current.kind == .end { throw IncompleteExpression() }
            let item = try parseBinary(minimum: 5, depth: 1)
            guard item.kind.isLiteral else {
                throw ModelshError.usage("the list after 'in' holds numbers, quoted strings, true or false, found '\(item.text)'", at: item.location)
            }
            items.append(item)
            if current.isSymbol(",") { position += 1; continue }
            guard current.isSymbol("]") else {
                if current.kind == .end { throw IncompleteExpression() }
                throw ModelshError.usage("expected ',' or ']' in list, found '\(current.display)'", at: current.location)
            }
        }
        position += 1
        return node(.membership(operand, items, negated: negated), from: start)
    }

    // MARK: - Operands

    private mutating func parsePrimary(depth: Int) throws -> ExpressionSyntax {
        let token = current
        let start = position
        switch token.kind {
        case .number(let value, _):
            position += 1
            if current.isSymbol("..") {
                throw ModelshError.usage("a range cannot be part of an expression", at: current.location)
            }
            return node(.number(value), from: start)
        case .string(let text):
            position += 1
            return node(.string(text), from: start)
        case .quotedName(let name):
            position += 1
            return node(.name(name), from: start)
        case .word("true"), .word("false"):
            position += 1
            return node(.boolean(token.isWord("true")), from: start)
        case .word(let word) where Self.operatorWords.contains(word):
            throw ModelshError.usage("expected a value, found '\(word)'", at: token.location)
        case .word(let name):
            position += 1
            guard current.isSymbol("("), adjacent(token, current) else { return node(.name(name), from: start) }
            position += 1
            let arguments = try parseArguments(depth: depth)
            return node(.call(name, arguments), from: start)
        case .symbol("("):
            position += 1
            let inner = try parseBinary(minimum: 1, depth: depth + 1)
            try expectClosingParenthesis(opened: token)
            return node(inner.kind, from: start)
        case .versioned:
            throw ModelshError.usage("a model version cannot be part of an expression", at: token.location)
        case .duration:
            throw ModelshError.usage("a duration ('\(token.display)') cannot be negated or part of an expression", at: token.location)
        case .symbol("["):
            throw ModelshError.usage("a list can be part of an expression only after 'in' (x in [1, 2])", at: token.location)
        case .end where isInsideParentheses:
            throw IncompleteExpression()
        case .end, .separator:
            throw ModelshError.usage("expected a value, found end of line", at: token.location)
        default:
            throw ModelshError.usage("expected a value, found '\(token.display)'", at: token.location)
        }
    }

    private mutating func parseArguments(depth: Int) throws -> [ExpressionSyntax] {
        let open = tokens[position - 1]
        var arguments: [ExpressionSyntax] = []
        if current.isSymbol(")") { position += 1; return arguments }
        while true {
            arguments.append(try parseBinary(minimum: 1, depth: depth + 1))
            if current.isSymbol(",") { position += 1; continue }
            try expectClosingParenthesis(opened: open)
            return arguments
        }
    }

    private mutating func expectClosingParenthesis(opened: Token) throws {
        if current.isSymbol(")") { position += 1; return }
        if current.kind == .end { throw IncompleteExpression() }
        throw ModelshError.usage("expected ')' to close the '(' at column \(opened.location.column), found '\(current.display)'", at: current.location)
    }

    private var isInsideParentheses: Bool {
        let read = tokens[..<position]
        return read.filter { $0.isSymbol("(") }.count > read.filter { $0.isSymbol(")") }.count
    }

    /// A node spanning the tokens from `start` to the last one read.
    private func node(_ kind: ExpressionSyntax.Kind, from start: Int) -> ExpressionSyntax {
        let first = tokens[start]
        let last = tokens[max(position - 1, start)]
        var location = first.location
        if last.location.line == first.location.line {
            location.length = last.location.column + last.location.length - first.location.column
        }
        let text = String(source[first.range.lowerBound..<last.range.upperBound])
        return ExpressionSyntax(kind, at: location, text: text)
    }
}

extension ExpressionSyntax.Kind {
    var isLiteral: Bool {
        switch self {
        case .number, .string, .boolean: return true
        default: return false
        }
    }

    /// A comparison, membership or missing test: these do not chain.
    var isTest: Bool {
        switch self {
        case .binary(let op, _, _): return op.isComparison
        case .membership, .missingTest: return true
        default: return false
        }
    }
}
