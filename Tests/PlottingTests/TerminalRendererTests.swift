import Plotting
import XCTest

/// The renderers' output for small figures of each mark, at 40 columns and 8 rows: golden
/// strings, looked at before they were written down.
final class TerminalRendererTests: XCTestCase {
    func render(_ figure: Figure, _ characters: TerminalStyle.Characters) -> String {
        TerminalRenderer.render(figure, style: TerminalStyle(characters: characters, width: 40, height: 8))
    }

    func testLinesInAscii() {
        XCTAssertEqual(render(RendererFixtures.lines, .ascii), """
                          ROC
        tpr
        1.0 +               ********************
            |           ****            .  ..
            |       ****           .  ..
            |   ****          .  ..
        0.5 +***            ..
            |*         ...
            |*    ...
        0.0 +*..
            ++----------------+----------------+
            0.0              0.5             1.0
                             fpr
        .. chance   ** a <b> & "c"
        """)
    }

    func testLinesInUnicode() {
        XCTAssertEqual(render(RendererFixtures.lines, .unicode), """
                          ROC
        tpr
        1.0 ┤              ⣀⠤⠒⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⡉⠩⠛⠉
            │         ⢀⡠⠔⠒⠉             ⠠⠔ ⠉
            │     ⣀⡠⠔⠊⠁            ⢀⠤ ⠊⠁
            │ ⣀⠤⠒⠉            ⢀⡠ ⠒⠁
        0.5 ┤⡏            ⣀ ⠔⠂
            │⡇       ⢀ ⠤⠂⠈
            │⡇    ⡠⠄⠈⠁
        0.0 ┤⣇⠄⠐⠉
            └┬────────────────┬────────────────┬
            0.0              0.5             1.0
                             fpr
        ┄┄ chance   ── a <b> & "c"
        """)
    }

    func testScatterInAscii() {
        XCTAssertEqual(render(RendererFixtures.scatter, .ascii), """
                      y against x
        y
          |                                   *
          | o
          |
          |
        5 +                  o
          |
          |                                   o
          | *
          +-+----------------+----------------+-
           1.0              2.0              3.0
                             x
        * one   o two
        """)
    }

    func testScatterInUnicode() {
        XCTAssertEqual(render(RendererFixtures.scatter, .unicode), """
                      y against x
        y
          │                                   ●
          │ ○
          │
          │
        5 ┤                  ○
          │
          │                                   ○
          │ ●
          └─┬────────────────┬────────────────┬─
           1.0              2.0              3.0
                             x
        ● one   ○ two
        """)
    }

    func testBarsInAscii() {
        XCTAssertEqual(render(RendererFixtures.bars, .ascii), """
                       Histogram
        count
          |            ############
          |            ############
        4 +            ############
          |########### ############
        2 +########### ############
          |########### ############
          |########### ############ ###########
        0 +########### ############ ###########
          ++-----------+-----------+-----------+
          0.0         1.0         2.0        3.0
                             v
        """)
    }

    func testBarsInUnicode() {
        XCTAssertEqual(render(RendererFixtures.bars, .unicode), """
                       Histogram
        count
          │            ▆▆▆▆▆▆▆▆▆▆▆▆
          │            ████████████
        4 ┤            ████████████
          │▅▅▅▅▅▅▅▅▅▅▅ ████████████
        2 ┤███████████ ████████████
          │███████████ ████████████
          │███████████ ████████████ ▄▄▄▄▄▄▄▄▄▄▄
        0 ┤███████████ ████████████ ███████████
          └┬───────────┬───────────┬───────────┬
          0.0         1.0         2.0        3.0
                             v
        """)
    }

    func testHorizontalBarsInAscii() {
        XCTAssertEqual(render(RendererFixtures.horizontalBars, .ascii), """
                       Importance
              |
              |################################
        large +################################
              |
              |
        small +###########
              |###########
              |
              ++--------------------+-----------
              0.0                  0.5
                             gain
        """)
    }

    func testHorizontalBarsInUnicode() {
        XCTAssertEqual(render(RendererFixtures.horizontalBars, .unicode), """
                       Importance
              │
              │███████████████████████████████▊
        large ┤███████████████████████████████▊
              │
              │
        small ┤██████████▋
              │██████████▋
              │
              └┬────────────────────┬───────────
              0.0                  0.5
                             gain
        """)
    }

    func testBoxesInAscii() {
        XCTAssertEqual(render(RendererFixtures.boxes, .ascii), """
                         Boxes
        v
           |         o
           |
        20 +
           |
           |
           |      +-----+          +-----+
           |      +=====+          +=====+
         0 +        -+-
           +---------+----------------+---------
                     a                b
                             g
        """)
    }

    func testBoxesInUnicode() {
        XCTAssertEqual(render(RendererFixtures.boxes, .unicode), """
                         Boxes
        v
           │         •
           │
        20 ┤
           │
           │
           │      ┌─────┐          ┌─────┐
           │      └━━━━━┘          └━━━━━┘
         0 ┤        ─┴─
           └─────────┬────────────────┬─────────
                     a                b
                             g
        """)
    }

    func testHeatmapInAscii() {
        XCTAssertEqual(render(RendererFixtures.heatmap, .ascii), """
                       Confusion
        actual \\ predicted    no   yes
        no                  ## 8  .. 2
        yes                 .. 1  ## 9
        """)
    }

    func testHeatmapInUnicode() {
        XCTAssertEqual(render(RendererFixtures.heatmap, .unicode), """
                       Confusion
        actual \\ predicted    no   yes
        no                  ██ 8  ░░ 2
        yes                 ░░ 1  ██ 9
        """)
    }
}

final class TerminalStyleTests: XCTestCase {
    func testColourWrapsEachRunAndResets() {
        let plain = TerminalRenderer.render(RendererFixtures.scatter, style: TerminalStyle(characters: .unicode, width: 40, height: 8))
        let coloured = TerminalRenderer.render(RendererFixtures.scatter, style: TerminalStyle(characters: .unicode, colour: true, width: 40, height: 8))
        XCTAssertFalse(plain.contains("\u{1B}"))
        XCTAssertTrue(coloured.contains("\u{1B}[34m"), "the first series in blue")
        XCTAssertTrue(coloured.contains("\u{1B}[33m"), "the second in yellow")
        // With colour the series are told apart by it, so points are braille dots, not markers.
        XCTAssertFalse(coloured.contains("○"))
        XCTAssertEqual(coloured.replacing(/\u{1B}\[[0-9;]*m/, with: "").split(separator: "\n").count, plain.split(separator: "\n").count)
    }

    func testASCIIHasNoColourAndOnlyASCII() {
        for figure in RendererFixtures.all {
            let text = TerminalRenderer.render(figure, style: TerminalStyle(characters: .ascii, colour: true, width: 50))
            XCTAssertTrue(text.unicodeScalars.allSatisfy { $0.isASCII }, figure.title)
        }
    }

    func testEveryLineFitsTheWidth() {
        for width in [30, 57, 120] {
            for figure in RendererFixtures.all {
                for characters in [TerminalStyle.Characters.ascii, .unicode] {
                    let text = TerminalRenderer.render(figure, style: TerminalStyle(characters: characters, width: width))
                    for line in text.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, width, "\(figure.title): \(line)") }
                }
            }
        }
    }

    func testLabelsFromDataAreEscaped() {
        var figure = RendererFixtures.scatter
        figure.title = "evil\u{1B}]0;title\u{07}"
        let text = TerminalRenderer.render(figure, style: TerminalStyle(characters: .ascii))
        XCTAssertFalse(text.contains("\u{1B}"))
        XCTAssertTrue(text.contains("evil\\x1b]0;title\\x07"))
    }
}
