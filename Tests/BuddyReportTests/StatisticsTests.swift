import BuddyResults
import Testing

/// Exact values of the statistics helpers, cross-checked with scipy 1.x
/// (`stats.ttest_ind(a, b, equal_var=False)`, `special.betainc`).
@Suite struct StatisticsTests {
    static func close(_ x: Double, _ y: Double, _ tolerance: Double = 1e-9) -> Bool {
        abs(x - y) <= tolerance
    }

    @Test func summaryOfOneToFour() throws {
        let s = try #require(SampleSummary([1, 2, 3, 4]))
        #expect(s.n == 4)
        #expect(s.mean == 2.5)
        #expect(Self.close(s.stddev, 1.2909944487358056, 1e-12))
        #expect(s.min == 1 && s.max == 4)
        // t(0.975, 3) = 3.182 from the table, times s/√n.
        #expect(Self.close(try #require(s.ci95HalfWidth), 2.053972167938667, 1e-12))
    }

    @Test func summaryOfOneSample() throws {
        let s = try #require(SampleSummary([7]))
        #expect(s.mean == 7 && s.stddev == 0 && s.ci95HalfWidth == nil)
        #expect(SampleSummary([]) == nil)
    }

    @Test func criticalValues() {
        #expect(studentTCritical95(degreesOfFreedom: 1) == 12.706)
        #expect(studentTCritical95(degreesOfFreedom: 2) == 4.303)
        #expect(studentTCritical95(degreesOfFreedom: 30) == 2.042)
        #expect(studentTCritical95(degreesOfFreedom: 31) == 1.96)
        #expect(studentTCritical95(degreesOfFreedom: 1000) == 1.96)
    }

    /// The classic Welch example; scipy:
    /// `TtestResult(statistic=-2.225512039969852, pvalue=0.035484530830010394, df=24.524634944257343)`.
    @Test func welchKnownSamples() throws {
        let a = [19.8, 20.4, 19.6, 17.8, 18.5, 18.9, 18.3, 18.9, 19.5, 22.0]
        let b = [28.2, 26.6, 20.1, 23.3, 25.2, 22.1, 17.7, 27.6, 20.6, 13.7,
                 23.2, 17.5, 20.6, 18.0, 23.9, 21.6, 24.3, 20.4, 23.9, 13.3]
        let r = try #require(welchTTest(a: a, b: b))
        #expect(Self.close(r.t, -2.225512039969852))
        #expect(Self.close(r.df, 24.524634944257343))
        #expect(Self.close(r.p, 0.035484530830010394))
        #expect(r.significant)
        // Swapping the sides flips t only.
        let swapped = try #require(welchTTest(a: b, b: a))
        #expect(Self.close(swapped.t, 2.225512039969852) && Self.close(swapped.p, r.p))
    }

    /// scipy: statistic=-24.49489742783178, pvalue=1.6483088987181242e-05, df=4.0.
    @Test func welchSmallSamples() throws {
        let r = try #require(welchTTest(a: [10, 11, 9], b: [30, 31, 29]))
        #expect(Self.close(r.t, -24.49489742783178))
        #expect(Self.close(r.df, 4))
        #expect(Self.close(r.p, 1.6483088987181242e-05, 1e-12))
        #expect(r.significant)
    }

    /// scipy: statistic=-0.3162277660168381, pvalue=0.7700256383911762, df=3.4482758620689653.
    @Test func welchWithinNoise() throws {
        let r = try #require(welchTTest(a: [1, 2, 3], b: [1, 2, 4]))
        #expect(Self.close(r.t, -0.3162277660168381))
        #expect(Self.close(r.df, 3.4482758620689653))
        #expect(Self.close(r.p, 0.7700256383911762))
        #expect(!r.significant)
    }

    @Test func welchWithoutVariance() {
        let equal = welchOutcome(a: [5, 5, 5], b: [5, 5, 5])
        #expect(equal == .skipped(.noVariance(meansDiffer: false)))
        #expect(!equal.isSignificant && !equal.isExactDifference)
        let differ = welchOutcome(a: [5, 5, 5], b: [6, 6])
        #expect(differ == .skipped(.noVariance(meansDiffer: true)))
        #expect(differ.isSignificant && differ.isExactDifference)
        #expect(welchTTest(a: [5, 5, 5], b: [6, 6, 6]) == nil)
        // One constant side is fine: the other side's variance carries the test.
        #expect(welchTTest(a: [5, 5, 5], b: [5, 6, 7]) != nil)
    }

    @Test func welchTooFewSeeds() {
        #expect(welchOutcome(a: [1], b: [1, 2]) == .skipped(.tooFewSeeds))
        #expect(welchOutcome(a: [1, 2], b: []) == .skipped(.tooFewSeeds))
        #expect(!welchOutcome(a: [1], b: [9]).isSignificant)
    }

    /// scipy.special.betainc(2.5, 0.5, 0.3) and betainc(10, 3, 0.9).
    @Test func incompleteBeta() {
        #expect(Self.close(regularizedIncompleteBeta(x: 0.3, a: 2.5, b: 0.5), 0.018927124071945658, 1e-13))
        #expect(Self.close(regularizedIncompleteBeta(x: 0.9, a: 10, b: 3), 0.889130022255, 1e-11))
        #expect(regularizedIncompleteBeta(x: 0, a: 2, b: 3) == 0)
        #expect(regularizedIncompleteBeta(x: 1, a: 2, b: 3) == 1)
        #expect(twoSidedStudentTPValue(t: 0, df: 5) == 1)
    }
}
