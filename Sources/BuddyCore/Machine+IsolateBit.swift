/// What un-isolation writes back, per `IsolationRepresentation`.
///
/// ≤ v6.15 MIGRATE_ISOLATE *replaces* the pageblock's migratetype, so `unset_migratetype_isolate`
/// writes the caller's type (`alloc_contig_range`'s `migratetype`: MOVABLE, or CMA for
/// `cma_alloc`) — a free UNMOVABLE or RECLAIMABLE block inside a contiguous range comes back
/// MOVABLE, including when isolation failed further on and `start_isolate_page_range` undid the
/// blocks it had done (the "optimization that might come later" of Zi Yan's v11 cover letter).
/// 3370f8ab4502 ("mm/page_isolation: make page isolation a standalone bit") keeps the type
/// beside a PB_migrate_isolate bit and clears only the bit. `get_pfnblock_migratetype` still
/// answers MIGRATE_ISOLATE while the bit is set, so the rest of the engine is unchanged.
///
/// Both representations remember the type a block had before `set_migratetype_isolate`, so the
/// metric `isolation_retyped_pageblocks` counts un-isolations that wrote back another type.
extension Machine {
    func rememberTypeBeforeIsolation(_ blockStart: Int, _ mt: MigrateType) {
        if book.pointee.typeBeforeIsolation.isEmpty {
            book.pointee.typeBeforeIsolation = Array(repeating: UInt8(MigrateType.count), count: pageblockCount)
        }
        book.pointee.typeBeforeIsolation[pageblockIndex(blockStart)] = mt.rawValue
    }

    /// The type `unset_migratetype_isolate` leaves the block with; counts a change of type.
    func typeAfterIsolation(_ blockStart: Int, requested: MigrateType) -> MigrateType {
        guard !book.pointee.typeBeforeIsolation.isEmpty else { return requested }
        let pb = pageblockIndex(blockStart)
        let saved = book.pointee.typeBeforeIsolation[pb]
        book.pointee.typeBeforeIsolation[pb] = UInt8(MigrateType.count)
        guard let before = MigrateType(rawValue: saved) else { return requested }
        let mt = S.Isolation.standaloneBit ? before : requested
        if mt != before { book.pointee.isolationRetyped += 1 }
        return mt
    }

    /// Onlined memory is re-initialised (`memmap_init`): no type survives from before offline.
    func forgetTypesBeforeIsolation(_ start: Int, _ end: Int) {
        guard !book.pointee.typeBeforeIsolation.isEmpty else { return }
        var p = start
        while p < end {
            book.pointee.typeBeforeIsolation[pageblockIndex(p)] = UInt8(MigrateType.count)
            p += geometry.pageblockPages
        }
    }

    /// Un-isolations so far that left a block with a type other than the one it had before.
    public var isolationRetypedPageblocks: Int { book.pointee.isolationRetyped }
}
