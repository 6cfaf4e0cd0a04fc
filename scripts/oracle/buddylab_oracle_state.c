// SPDX-License-Identifier: GPL-2.0
/*
 * buddylab oracle driver: the log, the snapshot of the whole buddy state under zone->lock,
 * and the tracepoint probes that record page events the driver did not make directly.
 * See buddylab_oracle.h.
 */
#include "buddylab_oracle.h"
#include <linux/version.h>

const char *const bl_list_names[MIGRATE_TYPES] = {
	[MIGRATE_UNMOVABLE] = "unmovable", [MIGRATE_MOVABLE] = "movable",
	[MIGRATE_RECLAIMABLE] = "reclaimable", [MIGRATE_HIGHATOMIC] = "highatomic",
#ifdef CONFIG_CMA
	[MIGRATE_CMA] = "cma",
#endif
#ifdef CONFIG_MEMORY_ISOLATION
	[MIGRATE_ISOLATE] = "isolate",
#endif
};
static const char bl_block_chars[MIGRATE_TYPES] = {
	[MIGRATE_UNMOVABLE] = 'U', [MIGRATE_MOVABLE] = 'M', [MIGRATE_RECLAIMABLE] = 'R',
	[MIGRATE_HIGHATOMIC] = 'H',
#ifdef CONFIG_CMA
	[MIGRATE_CMA] = 'C',
#endif
#ifdef CONFIG_MEMORY_ISOLATION
	[MIGRATE_ISOLATE] = 'I',
#endif
};


/* The batch being executed (the snapshot lists its anonymous mappings). */
struct bl_handle *bl_cur_handles;
unsigned int bl_cur_nhandles;

/* ---- foreign page events, recorded by tracepoint probes ----------------------------------- */

DEFINE_SPINLOCK(bl_foreign_lock);
struct bl_foreign *bl_foreign;	/* allocated with the batch */
unsigned int bl_nforeign, bl_foreign_lost;
struct task_struct *bl_self;	/* the task executing the batch */
/*
 * True around the driver's direct calls (alloc_pages, __free_pages, free_contig_range,
 * cma_release): their page events are the command itself. Any other event in the batch task is
 * a side event of a kernel function the command called (alloc_contig_range's frees of the part of
 * a free block outside the range; page migration's target allocations and source frees); events
 * in other tasks or in interrupts are foreign.
 */
bool bl_direct;

static void bl_record(struct bl_foreign f)
{
	unsigned long flags;

	if (in_task() && current == READ_ONCE(bl_self)) {
		if (READ_ONCE(bl_direct) || f.kind == F_COMPACTION)
			return;	/* compaction scans in our task: alloc_contig_range's own isolation */
		f.side = true;
	}
	spin_lock_irqsave(&bl_foreign_lock, flags);
	if (bl_foreign && bl_nforeign < BL_FOREIGN_MAX)
		bl_foreign[bl_nforeign++] = f;
	else
		bl_foreign_lost++;
	spin_unlock_irqrestore(&bl_foreign_lock, flags);
}

void bl_probe_alloc(void *data, struct page *page, unsigned int order, gfp_t gfp,
			   int migratetype)
{
	/* __alloc_pages() fires mm_page_alloc for a failed request too, with page NULL (seen on
	 * 6.12 near OOM: an unmap's mmu_gather batch page): nothing was allocated. */
	if (!page)
		return;
	bl_record((struct bl_foreign){ F_ALLOC, false, page_to_pfn(page), 0, order, migratetype,
				       order && (gfp & __GFP_COMP) });
}

void bl_probe_free(void *data, struct page *page, unsigned int order)
{
	bl_record((struct bl_foreign){ F_FREE, false, page_to_pfn(page), 0, order,
				       get_pageblock_migratetype(page) });
}

/* Compaction takes free pages off the buddy lists without mm_page_alloc (isolate_freepages_block
 * -> __isolate_free_page): a foreign compaction is reported by its scan so that the host knows
 * the state is not reproducible, never silently. */
void bl_probe_compaction(void *data, unsigned long start_pfn, unsigned long end_pfn,
				unsigned long nr_scanned, unsigned long nr_taken)
{
	if (nr_taken)
		bl_record((struct bl_foreign){ F_COMPACTION, false, start_pfn, end_pfn, nr_taken, 0 });
}

/* ---- the log ---------------------------------------------------------------------------- */

char *bl_log;
size_t bl_log_len, bl_log_cap;
bool bl_log_overflow;
DEFINE_MUTEX(bl_mutex);		/* one batch at a time; guards the log */

/* The log buffer is streamed to the host whenever it fills (buddylab_oracle.c, bl_log_flush;
 * a host write() is allowed anywhere in User-Mode Linux, zone->lock held or not), so the buffer
 * is small and fixed; only a single record longer than the whole buffer overflows. */
__printf(1, 2) void bl_out(const char *fmt, ...)
{
	va_list ap;
	int n, tries;

	for (tries = 0; tries < 2 && !bl_log_overflow; tries++) {
		va_start(ap, fmt);
		n = vsnprintf(bl_log + bl_log_len, bl_log_cap - bl_log_len, fmt, ap);
		va_end(ap);
		if (n < bl_log_cap - bl_log_len) {
			bl_log_len += n;
			return;
		}
		bl_log_flush();
	}
	bl_log_overflow = true;
}

static const char *bl_zone_name(struct zone *zone)
{
	return zone->name;
}

/*
 * `anon H pfn...`: where the pages of anonymous mapping H are now (page migration moves them).
 * get_user_pages_fast() takes a reference per page for the lookup only; it is dropped at once,
 * so the pages stay migratable. A page that is not resident prints as `-`.
 */
static void bl_anon_record(unsigned int handle, const struct bl_handle *h)
{
	unsigned long i;

	bl_out("anon %u", handle);
	for (i = 0; i < h->n; i++) {
		struct page *page;

		if (get_user_pages_fast(h->pfn + i * PAGE_SIZE, 1, 0, &page) == 1) {
			bl_out(" 0x%lx", page_to_pfn(page));
			put_page(page);
		} else {
			bl_out(" -");
		}
	}
	bl_out("\n");
}

/* The pfns of every page on an LRU list, sorted (read under lru_lock, before zone->lock: the
 * kernel never nests the two that way), each stored as pfn << 1 | is-file (page cache: the pages
 * alloc_contig_range() reclaims rather than migrates, reclaim_clean_pages_from_list()). Only the
 * batch task changes the LRU lists here. */
unsigned long *bl_lru_pfns;
unsigned long bl_lru_cap;

static int bl_cmp_pfn(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

static unsigned long bl_collect_lru(void)
{
	struct pglist_data *pgdat;
	unsigned long n = 0;

	/* Pages still in this CPU's lru_add folio batch are in use but on no list yet; compaction
	 * and alloc_contig_range drain the batch first (lru_add_drain, lru_cache_disable) and then
	 * migrate them. Drain here too, so the listed LRU is the one they will see (found on 6.12: a
	 * page at 0x158d missing from `lru` was migrated by the next `compact`). No page is allocated
	 * or freed by the drain. */
	lru_add_drain();

	for_each_online_pgdat(pgdat) {
		struct lruvec *lruvec = mem_cgroup_lruvec(NULL, pgdat);
		enum lru_list lru;

		spin_lock_irq(&lruvec->lru_lock);
		/* the unevictable list is imaginary since 5.18 (poisoned head; mlocked pages keep
		 * PG_lru but sit on no list), so they are not listed */
		for_each_evictable_lru(lru) {
			struct folio *folio;

			list_for_each_entry(folio, &lruvec->lists[lru], lru) {
				long k, nr = folio_nr_pages(folio);

				for (k = 0; k < nr && n < bl_lru_cap; k++)
					bl_lru_pfns[n++] = (folio_pfn(folio) + k) << 1 | is_file_lru(lru);
			}
		}
		spin_unlock_irq(&lruvec->lru_lock);
	}
	sort(bl_lru_pfns, n, sizeof(*bl_lru_pfns), bl_cmp_pfn, NULL);
	return n;
}

/* `KEY ZONE 0xSTART+COUNT ...`: runs of the collected LRU pfns in [start, end); file pages only
 * when `file_only` (`lru_file`). */
static void bl_lru_runs(const char *name, const char *key, unsigned long nlru, unsigned long start,
			unsigned long end, bool file_only)
{
	unsigned long k, pfn, run = 0, run_start = 0;

	bl_out("%s %s", key, name);
	for (k = 0; k < nlru; k++) {
		pfn = bl_lru_pfns[k] >> 1;
		if (pfn < start || pfn >= end || (file_only && !(bl_lru_pfns[k] & 1)))
			continue;
		if (run && pfn == run_start + run) {
			run++;
			continue;
		}
		if (run)
			bl_out(" 0x%lx+%lu", run_start, run);
		run_start = pfn;
		run = 1;
	}
	if (run)
		bl_out(" 0x%lx+%lu", run_start, run);
	bl_out("\n");
}

/* `zone` and `watermark` records of one zone, and on x86_64 its `lowmem_reserve` (the header;
 * x86_64 states too). User-Mode Linux logs keep their version-2 bytes: no `lowmem_reserve`. */
static void bl_zone_records(struct zone *zone)
{
	bl_out("zone %s start_pfn=0x%lx spanned=%lu present=%lu managed=%lu\n",
	       bl_zone_name(zone), zone->zone_start_pfn, zone->spanned_pages,
	       zone->present_pages, zone_managed_pages(zone));
	bl_out("watermark %s min=%lu low=%lu high=%lu boost=%lu\n", bl_zone_name(zone),
	       zone->_watermark[WMARK_MIN], zone->_watermark[WMARK_LOW],
	       zone->_watermark[WMARK_HIGH], zone->watermark_boost);
#ifndef CONFIG_UML
	{
		int i;

		bl_out("lowmem_reserve %s", bl_zone_name(zone));
		for (i = 0; i < MAX_NR_ZONES; i++)
			bl_out(" %ld", zone->lowmem_reserve[i]);
		bl_out("\n");
	}
#endif
}

/* One consistent state of every populated zone, read under zone->lock with interrupts off. */
void bl_snapshot(unsigned int n)
{
	unsigned long nlru = bl_collect_lru();
	struct zone *zone;
	unsigned long flags, fl;
	unsigned int i;

	bl_out("state %u\n", n);
	for_each_populated_zone(zone) {
		const char *name = bl_zone_name(zone);
		unsigned long pfn, end = zone_end_pfn(zone);
		unsigned int order, mt;
		int cpu;

		spin_lock_irqsave(&zone->lock, flags);
#ifndef CONFIG_UML
		/* x86_64: offline/online change the span, the page counts and (init_per_zone_wmark_min)
		 * every zone's marks and reserves, so each state carries them (PROTOCOL.md) */
		bl_zone_records(zone);
#endif
		bl_out("counters %s nr_free_pages=%lu nr_free_cma_pages=%lu\n", name,
		       zone_page_state_snapshot(zone, NR_FREE_PAGES),
		       zone_page_state_snapshot(zone, NR_FREE_CMA_PAGES));
		bl_out("nr_free %s", name);
		for (order = 0; order <= BL_MAX_ORDER; order++)
			bl_out(" %lu", zone->free_area[order].nr_free);
		/* from the pageblock holding the zone's first pfn (x86_64's DMA starts at pfn 1) */
		bl_out("\npageblocks %s 0x%lx ", name, ALIGN_DOWN(zone->zone_start_pfn, pageblock_nr_pages));
		for (pfn = ALIGN_DOWN(zone->zone_start_pfn, pageblock_nr_pages); pfn < end;
		     pfn += pageblock_nr_pages) {
			if (!pfn_valid(pfn)) {
				bl_out("-");
				continue;
			}
			mt = get_pageblock_migratetype(pfn_to_page(pfn));
			bl_out("%c", mt < MIGRATE_TYPES ? bl_block_chars[mt] : '?');
		}
		bl_out("\n");
		for (order = 0; order <= BL_MAX_ORDER; order++) {
			for (mt = 0; mt < MIGRATE_TYPES; mt++) {
				struct list_head *head = &zone->free_area[order].free_list[mt];
				struct page *page;

				if (list_empty(head))
					continue;
				bl_out("free %s %u %s", name, order, bl_list_names[mt]);
				list_for_each_entry(page, head, buddy_list)
					bl_out(" 0x%lx", page_to_pfn(page));
				bl_out("\n");
			}
		}
		/* Pages on an LRU list (page cache, user memory): the allocated pages that
		 * alloc_contig_range() and isolation can migrate. Runs of pfns: START+COUNT. */
		bl_lru_runs(name, "lru", nlru, zone->zone_start_pfn, end, false);
		bl_lru_runs(name, "lru_file", nlru, zone->zone_start_pfn, end, true);
#ifdef CONFIG_COMPACTION
		/* What direct compaction reads and leaves behind (PROTOCOL.md, "compaction"): the
		 * cached scanner positions, the deferral state, and PB_migrate_skip per pageblock. */
		bl_out("compaction %s migrate_async=0x%lx migrate_sync=0x%lx free=0x%lx init_migrate=0x%lx init_free=0x%lx considered=%u defer_shift=%u order_failed=%d flush=%d\n",
		       name, zone->compact_cached_migrate_pfn[0], zone->compact_cached_migrate_pfn[1],
		       zone->compact_cached_free_pfn, zone->compact_init_migrate_pfn,
		       zone->compact_init_free_pfn, zone->compact_considered, zone->compact_defer_shift,
		       zone->compact_order_failed, zone->compact_blockskip_flush ? 1 : 0);
		bl_out("skip %s 0x%lx ", name, ALIGN_DOWN(zone->zone_start_pfn, pageblock_nr_pages));
		for (pfn = ALIGN_DOWN(zone->zone_start_pfn, pageblock_nr_pages); pfn < end;
		     pfn += pageblock_nr_pages)
			bl_out("%c", !pfn_valid(pfn) ? '-' : get_pageblock_skip(pfn_to_page(pfn)) ? '1' : '0');
		bl_out("\n");
#endif
		for_each_online_cpu(cpu) {
			struct per_cpu_pages *pcp = per_cpu_ptr(zone->per_cpu_pageset, cpu);

			/* The set's fields that decide its next refill and free (PROTOCOL.md, "pcpset"). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
			bl_out("pcpset %s %d count=%d high=%d batch=%d high_min=%d high_max=%d free_count=%d alloc_factor=%u flags=%u below_high=%d reclaim_active=%d\n",
			       name, cpu, pcp->count, pcp->high, pcp->batch, pcp->high_min, pcp->high_max,
			       pcp->free_count, pcp->alloc_factor, pcp->flags,
			       test_bit(ZONE_BELOW_HIGH, &zone->flags) ? 1 : 0,
			       test_bit(ZONE_RECLAIM_ACTIVE, &zone->flags) ? 1 : 0);
#else
			bl_out("pcpset %s %d count=%d high=%d batch=%d free_factor=%d reclaim_active=%d\n",
			       name, cpu, pcp->count, pcp->high, pcp->batch, pcp->free_factor,
			       test_bit(ZONE_RECLAIM_ACTIVE, &zone->flags) ? 1 : 0);
#endif
			for (i = 0; i < NR_PCP_LISTS; i++) {
				struct page *page;

				if (list_empty(&pcp->lists[i]))
					continue;
				bl_out("pcp %s %d %u %s", name, cpu,
				       i < NR_LOWORDER_PCP_LISTS ? i / MIGRATE_PCPTYPES : pageblock_order,
				       bl_list_names[i % MIGRATE_PCPTYPES]);
				list_for_each_entry(page, &pcp->lists[i], pcp_list)
					bl_out(" 0x%lx", page_to_pfn(page));
				bl_out("\n");
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 10, 0)
				/* <= 6.9: the migratetype free_pcppages_bulk() will free each page with,
				 * cached at free/refill time (set_pcppage_migratetype: page->index). */
				bl_out("pcpmt %s %d %u %s ", name, cpu,
				       i < NR_LOWORDER_PCP_LISTS ? i / MIGRATE_PCPTYPES : pageblock_order,
				       bl_list_names[i % MIGRATE_PCPTYPES]);
				list_for_each_entry(page, &pcp->lists[i], pcp_list)
					bl_out("%c", page->index < MIGRATE_TYPES ? bl_block_chars[page->index] : '?');
				bl_out("\n");
#endif
			}
		}
		spin_unlock_irqrestore(&zone->lock, flags);
	}
	spin_lock_irqsave(&bl_foreign_lock, fl);
	for (i = 0; i < bl_nforeign; i++) {
		struct bl_foreign *f = &bl_foreign[i];

		const char *who = f->side ? "side" : "foreign";

		if (f->kind == F_COMPACTION)
			bl_out("%s compaction 0x%lx 0x%lx taken=%lu\n", who, f->pfn, f->end, f->order);
		else
			bl_out("%s %s 0x%lx %lu %s%s\n", who, f->kind == F_ALLOC ? "alloc" : "free",
			       f->pfn, f->order, f->type >= 0 && f->type < MIGRATE_TYPES ?
			       bl_list_names[f->type] : "unknown", f->comp ? " comp" : "");
	}
	if (bl_foreign_lost)
		bl_out("foreign lost %u\n", bl_foreign_lost);
	bl_nforeign = 0;
	bl_foreign_lost = 0;
	spin_unlock_irqrestore(&bl_foreign_lock, fl);
	for (i = 0; i < bl_cur_nhandles; i++)
		if (bl_cur_handles[i].kind == H_ANON)
			bl_anon_record(i, &bl_cur_handles[i]);
	bl_out("end\n");
}

#ifndef CONFIG_UML
/*
 * `memmap_zone ZONE 0xSTART 0xEND OWNER`: pfns inside ZONE's span that have a struct page but
 * whose page_zone() is another zone. memmap_init() hands a hole between two memblock ranges to
 * the zone of the range after it (memmap_init_zone_range -> init_unavailable_range), so on a PC
 * the pages between DMA32's last RAM and the PCI hole say Normal. __pageblock_pfn_to_page()
 * compares the zone of a block's first and last page, so compaction skips such a block whole
 * (no scan, no PB_migrate_skip), and set_zone_contiguous() leaves the zone non-contiguous.
 */
static void bl_memmap_zone_records(struct zone *zone)
{
	unsigned long pfn, end = zone_end_pfn(zone), run_start = 0;
	struct zone *run_owner = NULL, *owner;

	for (pfn = zone->zone_start_pfn; pfn < end; pfn++) {
		owner = pfn_valid(pfn) ? page_zone(pfn_to_page(pfn)) : NULL;
		if (owner == zone)
			owner = NULL;
		if (owner != run_owner) {
			if (run_owner)
				bl_out("memmap_zone %s 0x%lx 0x%lx %s\n", bl_zone_name(zone), run_start, pfn,
				       bl_zone_name(run_owner));
			run_owner = owner;
			run_start = pfn;
		}
		/* a pageblock without memmap has none anywhere (pfn_valid's subsection unit is
		 * 2 MiB, x86_64's pageblock): step to the next block */
		if (!pfn_valid(pfn))
			pfn = ALIGN(pfn + 1, pageblock_nr_pages) - 1;
	}
	if (run_owner)
		bl_out("memmap_zone %s 0x%lx 0x%lx %s\n", bl_zone_name(zone), run_start, end,
		       bl_zone_name(run_owner));
}
#endif

/*
 * `compound_page ZONE 0xPFN ORDER`: a compound page of at least pageblock order the kernel holds
 * before the batch (hugetlb, kmalloc_large, ...). pageblock_skip_persistent() keeps the
 * compaction scanners out of the blocks under it (no scan, no PB_migrate_skip); the host's model
 * imports every other allocated page as an order-0 page.
 */
static void bl_compound_records(struct zone *zone)
{
	unsigned long pfn, end = zone_end_pfn(zone);
	struct page *page;

	for (pfn = zone->zone_start_pfn; pfn < end; pfn++) {
		if (!pfn_valid(pfn)) {
			pfn = ALIGN(pfn + 1, pageblock_nr_pages) - 1;
			continue;
		}
		page = pfn_to_page(pfn);
		if (PageHead(page) && compound_order(page) >= pageblock_order) {
			bl_out("compound_page %s 0x%lx %u\n", bl_zone_name(zone), pfn, compound_order(page));
			pfn += (1UL << compound_order(page)) - 1;
		}
	}
}

void bl_header(void)
{
	struct zone *zone;

	bl_out("buddylab-oracle 2\nkernel %s\n", init_utsname()->release);
	bl_out("geometry page_shift=%d max_order=%d pageblock_order=%u\n",
	       PAGE_SHIFT, BL_MAX_ORDER, (unsigned int)pageblock_order);
	for_each_populated_zone(zone)
		bl_zone_records(zone);
	bl_hotplug_header();	/* x86_64: `memory_block`; nothing on User-Mode Linux */
#ifndef CONFIG_UML
	for_each_populated_zone(zone)
		bl_memmap_zone_records(zone);
#endif
	for_each_populated_zone(zone)
		bl_compound_records(zone);
	if (bl_cma)
		bl_out("cma %s base_pfn=0x%lx count=%lu\n", cma_get_name(bl_cma),
		       (unsigned long)PHYS_PFN(cma_get_base(bl_cma)), cma_get_size(bl_cma) >> PAGE_SHIFT);
}

