import BuddyVariants
import Testing

/// Issue 18 item 9: every variant says exactly what it models and whether a running kernel
/// checked it; the ones no kernel of their own version checked say so.
@Suite struct VariantModelsTests {
    @Test func everyVariantHasAnEntryAndNoStrayOnes() {
        #expect(Set(Variants.models.keys) == Set(Variants.ids))
        for v in Variants.all {
            let m = Variants.model(v.id)
            #expect(!m.models.isEmpty && !m.checked.isEmpty, "\(v.id)")
        }
    }

    /// Only the two Debian kernels the oracle boots checked a variant of their own version.
    @Test func onlyTheOracleKernelsChecked() {
        let checked = Variants.ids.filter { Variants.model($0).checked.hasPrefix("lockstep against Debian") }
        #expect(checked == ["linux-6.1", "linux-6.12"])
        #expect(Variants.model("linux-6.17").checked == "not checked against any 6.17 kernel")
        #expect(Variants.model("linux-6.1").models.contains("6.1.192") && Variants.model("linux-6.1").models.contains("PCP_BATCH_SCALE_MAX"))
        #expect(Variants.model("linux-6.12").models.contains("__rmqueue_claim"))
    }
}
