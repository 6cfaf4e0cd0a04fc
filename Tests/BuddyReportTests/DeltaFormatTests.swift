@testable import BuddyReport
import Testing

/// The mmtests-style `( x.xx%)` delta cells and the locale-free number formatting behind them.
@Suite struct DeltaFormatTests {
    @Test func percentCells() {
        #expect(DeltaFormat.percent(-50) == "( -50.00%)")
        #expect(DeltaFormat.percent(5) == "(  +5.00%)")
        #expect(DeltaFormat.percent(0) == "(   0.00%)")
        #expect(DeltaFormat.percent(-0.001) == "(   0.00%)")
        #expect(DeltaFormat.percent(150) == "(+150.00%)")
        #expect(DeltaFormat.percent(-1234.5) == "(-1234.50%)")
    }

    @Test func deltaAgainstBaseline() {
        #expect(DeltaFormat.delta(base: 1024, value: 512) == "( -50.00%)")
        #expect(DeltaFormat.delta(base: 10, value: 30) == "(+200.00%)")
        // Relative to |baseline|: a negative drift shrinking towards 0 moves up.
        #expect(DeltaFormat.delta(base: -512, value: -256) == "( +50.00%)")
        // Zero baseline: absolute delta, no percent sign.
        #expect(DeltaFormat.delta(base: 0, value: 0) == "(   0.00%)")
        #expect(DeltaFormat.delta(base: 0, value: -512) == "(   -512)")
        #expect(DeltaFormat.delta(base: 0, value: 2.5) == "(  +2.50)")
    }

    @Test func emphasis() {
        #expect(DeltaFormat.markdown(base: 1024, value: 512, significant: true) == "*( -50.00%)*")
        #expect(DeltaFormat.markdown(base: 1024, value: 512, significant: false) == "( -50.00%)")
        #expect(DeltaFormat.text(base: 1024, value: 512, significant: true) == "( -50.00%)*")
        #expect(DeltaFormat.text(base: 1024, value: 512, significant: false) == "( -50.00%) ")
    }

    /// Every percent cell has the `( x.xx%)` shape: sign, digits, exactly two decimals.
    @Test(arguments: [-99999.0, -100, -33.333333, -0.004, 0, 0.005, 1, 12.345, 99.999, 2500])
    func percentShape(_ p: Double) throws {
        let cell = DeltaFormat.percent(p)
        let shape = try Regex(#"\( *[+-]?[0-9]+\.[0-9]{2}%\)"#)
        #expect(cell.wholeMatch(of: shape) != nil, "\(cell)")
        #expect(cell.count >= 10)
    }

    @Test func numbers() {
        #expect(NumberFormat.fixed(-0.125, 2) == "-0.13")
        #expect(NumberFormat.fixed(2.5, 0) == "3")
        #expect(NumberFormat.fixed(-0.001, 2) == "0.00")
        #expect(NumberFormat.fixed(1234.5, 1) == "1234.5")
        #expect(NumberFormat.value(512) == "512")
        #expect(NumberFormat.value(-512) == "-512")
        #expect(NumberFormat.value(1207.0 / 3) == "402.33")
        #expect(NumberFormat.signedValue(3) == "+3")
        #expect(NumberFormat.pValue(0.00001) == "<0.0001")
        #expect(NumberFormat.pValue(0.0354845) == "0.0355")
    }
}
