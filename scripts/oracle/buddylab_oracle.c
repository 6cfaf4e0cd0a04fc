// SPDX-License-Identifier: GPL-2.0
/*
 * buddylab oracle driver: runs a batch of page-allocator commands inside the kernel and logs the
 * whole buddy state after every command, for lockstep comparison with the buddylab simulator.
 * Protocol: scripts/oracle/PROTOCOL.md of the buddylab repository (version 1).
 *
 *   /sys/kernel/debug/buddylab/run  write the command batch (any number of writes); it is
 *                                   parsed and executed when the file is closed
 *   /sys/kernel/debug/buddylab/log  read the log of the last batch
 *
 * Everything the batch needs (log buffer, handle table, bench arrays, tracepoint probes) is
 * allocated BEFORE the initial snapshot `state 0`, so the driver's own bookkeeping never shows up
 * as a difference between two states. Built in (mm/buddylab_oracle.c via buddylab's patch-tree):
 * it calls functions that are not exported to modules.
 *
 * Boot parameters: buddylab_cma=SIZE reserves the CMA area "buddylab" (cma_declare_contiguous()
 * from the early parameter hook: memblock is up, the buddy allocator not yet), buddylab_nopcp
 * (defined by our page_alloc.c patch) turns the per-cpu lists off.
 *
 * Page events the driver did not ask for directly are logged, never dropped: tracepoint probes
 * report other tasks' and interrupts' events as `foreign`, the batch task's indirect ones
 * (alloc_contig_range's outer frees, migration, page faults of `anon`) as `side`.
 */
#include <linux/cma.h>
#include <linux/debugfs.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/ktime.h>
#include <linux/memblock.h>
#include <linux/memcontrol.h>
#include <linux/mman.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/page-isolation.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/swap.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>
#include <linux/vmstat.h>
#include <linux/workqueue.h>
#include <trace/events/kmem.h>
struct compact_control;			/* mm/internal.h; only named by compaction.h */
#include <trace/events/compaction.h>

#ifdef MAX_PAGE_ORDER			/* 6.8+: inclusive */
#define BL_MAX_ORDER MAX_PAGE_ORDER
#else					/* 6.1: MAX_ORDER exclusive */
#define BL_MAX_ORDER (MAX_ORDER - 1)
#endif

extern bool buddylab_nopcp;		/* mm/page_alloc.c, buddylab patch */

static const char *const bl_list_names[MIGRATE_TYPES] = {
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

/* ---- boot-time CMA area ---------------------------------------------------------------- */

static struct cma *bl_cma;

static int __init bl_cma_setup(char *s)
{
	phys_addr_t size = memparse(s, NULL);
	int err;

	if (!size)
		return -EINVAL;
	err = cma_declare_contiguous(0, size, 0, 0, 0, false, "buddylab", &bl_cma);
	if (err)
		pr_err("buddylab: cma_declare_contiguous(%pa) failed: %d\n", &size, err);
	return 0;
}
early_param("buddylab_cma", bl_cma_setup);

/* ---- commands ---------------------------------------------------------------------------- */

enum bl_op {
	OP_ALLOC, OP_FREE, OP_CONTIG, OP_ISOLATE, OP_UNISOLATE, OP_CMA_ALLOC, OP_DRAIN,
	OP_WATERMARK, OP_BENCH_PAIR, OP_BENCH_CHURN, OP_FOREIGN_TEST, OP_ANON,
};

struct bl_cmd {
	enum bl_op op;
	unsigned long a, b;	/* order/handle/pfn/count/events ; type/nr/align/fill% */
	int flag;		/* isolate: offline; watermark: mark */
};

enum bl_handle_kind { H_NONE, H_PAGE, H_CONTIG, H_CMA, H_ANON };

struct bl_handle {
	enum bl_handle_kind kind;
	unsigned long pfn, n;	/* H_PAGE: n = order; H_CONTIG/H_CMA/H_ANON: n = pages;
				 * H_ANON: pfn = user address of the mapping */
};

#define BL_ANON_MAX 65536	/* pages of one anon command */

/* The batch being executed (the snapshot lists its anonymous mappings). */
static struct bl_handle *bl_cur_handles;
static unsigned int bl_cur_nhandles;

/* ---- foreign page events, recorded by tracepoint probes ----------------------------------- */

#define BL_FOREIGN_MAX 16384
enum bl_foreign_kind { F_ALLOC, F_FREE, F_COMPACTION };
struct bl_foreign {
	enum bl_foreign_kind kind;
	bool side;		/* inside the driver's command, not its direct call */
	unsigned long pfn, end;	/* F_COMPACTION: the scanned range [pfn, end) */
	unsigned long order;	/* F_COMPACTION: free pages taken */
	int type;
};

static DEFINE_SPINLOCK(bl_foreign_lock);
static struct bl_foreign *bl_foreign;	/* allocated with the batch */
static unsigned int bl_nforeign, bl_foreign_lost;
static struct task_struct *bl_self;	/* the task executing the batch */
/*
 * True around the driver's direct calls (alloc_pages, __free_pages, free_contig_range,
 * cma_release): their page events are the command itself. Any other event in the batch task is
 * a side event of a kernel function the command called (alloc_contig_range's frees of the part of
 * a free block outside the range; page migration's target allocations and source frees); events
 * in other tasks or in interrupts are foreign.
 */
static bool bl_direct;

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

static void bl_probe_alloc(void *data, struct page *page, unsigned int order, gfp_t gfp,
			   int migratetype)
{
	bl_record((struct bl_foreign){ F_ALLOC, false, page_to_pfn(page), 0, order, migratetype });
}

static void bl_probe_free(void *data, struct page *page, unsigned int order)
{
	bl_record((struct bl_foreign){ F_FREE, false, page_to_pfn(page), 0, order,
				       get_pageblock_migratetype(page) });
}

/* Compaction takes free pages off the buddy lists without mm_page_alloc (isolate_freepages_block
 * -> __isolate_free_page): a foreign compaction is reported by its scan so that the host knows
 * the state is not reproducible, never silently. */
static void bl_probe_compaction(void *data, unsigned long start_pfn, unsigned long end_pfn,
				unsigned long nr_scanned, unsigned long nr_taken)
{
	if (nr_taken)
		bl_record((struct bl_foreign){ F_COMPACTION, false, start_pfn, end_pfn, nr_taken, 0 });
}

/* ---- the log ---------------------------------------------------------------------------- */

static char *bl_log;
static size_t bl_log_len, bl_log_cap;
static bool bl_log_overflow;
static DEFINE_MUTEX(bl_mutex);		/* one batch at a time; guards the log */

static __printf(1, 2) void bl_out(const char *fmt, ...)
{
	va_list ap;
	int n;

	if (bl_log_overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(bl_log + bl_log_len, bl_log_cap - bl_log_len, fmt, ap);
	va_end(ap);
	if (n >= bl_log_cap - bl_log_len) {
		bl_log_overflow = true;
		return;
	}
	bl_log_len += n;
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
 * kernel never nests the two that way). Only the batch task changes the LRU lists here. */
static unsigned long *bl_lru_pfns;
static unsigned long bl_lru_cap;

static int bl_cmp_pfn(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

static unsigned long bl_collect_lru(void)
{
	struct pglist_data *pgdat;
	unsigned long n = 0;

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
					bl_lru_pfns[n++] = folio_pfn(folio) + k;
			}
		}
		spin_unlock_irq(&lruvec->lru_lock);
	}
	sort(bl_lru_pfns, n, sizeof(*bl_lru_pfns), bl_cmp_pfn, NULL);
	return n;
}

/* One consistent state of every populated zone, read under zone->lock with interrupts off. */
static void bl_snapshot(unsigned int n)
{
	unsigned long nlru = bl_collect_lru();
	struct zone *zone;
	unsigned long flags, fl;
	unsigned int i;

	bl_out("state %u\n", n);
	for_each_populated_zone(zone) {
		const char *name = bl_zone_name(zone);
		unsigned long pfn, end = zone_end_pfn(zone), run, run_start = 0, k;
		unsigned int order, mt;
		int cpu;

		spin_lock_irqsave(&zone->lock, flags);
		bl_out("counters %s nr_free_pages=%lu nr_free_cma_pages=%lu\n", name,
		       zone_page_state_snapshot(zone, NR_FREE_PAGES),
		       zone_page_state_snapshot(zone, NR_FREE_CMA_PAGES));
		bl_out("nr_free %s", name);
		for (order = 0; order <= BL_MAX_ORDER; order++)
			bl_out(" %lu", zone->free_area[order].nr_free);
		bl_out("\npageblocks %s 0x%lx ", name, zone->zone_start_pfn);
		for (pfn = zone->zone_start_pfn; pfn < end; pfn += pageblock_nr_pages) {
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
		bl_out("lru %s", name);
		for (k = 0, run = 0; k < nlru; k++) {
			pfn = bl_lru_pfns[k];
			if (pfn < zone->zone_start_pfn || pfn >= end)
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
		for_each_online_cpu(cpu) {
			struct per_cpu_pages *pcp = per_cpu_ptr(zone->per_cpu_pageset, cpu);

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
			bl_out("%s %s 0x%lx %lu %s\n", who, f->kind == F_ALLOC ? "alloc" : "free",
			       f->pfn, f->order, f->type >= 0 && f->type < MIGRATE_TYPES ?
			       bl_list_names[f->type] : "unknown");
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

static void bl_header(void)
{
	struct zone *zone;

	bl_out("buddylab-oracle 1\nkernel %s\n", init_utsname()->release);
	bl_out("geometry page_shift=%d max_order=%d pageblock_order=%u\n",
	       PAGE_SHIFT, BL_MAX_ORDER, (unsigned int)pageblock_order);
	for_each_populated_zone(zone) {
		bl_out("zone %s start_pfn=0x%lx spanned=%lu present=%lu managed=%lu\n",
		       bl_zone_name(zone), zone->zone_start_pfn, zone->spanned_pages,
		       zone->present_pages, zone_managed_pages(zone));
		bl_out("watermark %s min=%lu low=%lu high=%lu boost=%lu\n", bl_zone_name(zone),
		       zone->_watermark[WMARK_MIN], zone->_watermark[WMARK_LOW],
		       zone->_watermark[WMARK_HIGH], zone->watermark_boost);
	}
	if (bl_cma)
		bl_out("cma %s base_pfn=0x%lx count=%lu\n", cma_get_name(bl_cma),
		       (unsigned long)PHYS_PFN(cma_get_base(bl_cma)), cma_get_size(bl_cma) >> PAGE_SHIFT);
}

/* ---- parsing ------------------------------------------------------------------------------ */

struct bl_batch {
	struct bl_cmd *cmds;
	unsigned int ncmds;
	struct bl_handle *handles;
	unsigned int nhandles;
	struct page **live;		/* bench_churn's live pages */
	unsigned long live_cap;
};

static int bl_type(const char *s)
{
	if (!strcmp(s, "unmovable"))
		return MIGRATE_UNMOVABLE;
	if (!strcmp(s, "movable"))
		return MIGRATE_MOVABLE;
	if (!strcmp(s, "reclaimable"))
		return MIGRATE_RECLAIMABLE;
	return -1;
}

static int bl_num(const char *s, unsigned long *v)
{
	return s ? kstrtoul(s, 0, v) : -EINVAL;
}

/* Parse one line into cmd; returns 1 for a command, 0 for blank/comment, <0 with *why set. */
static int bl_parse_line(char *line, struct bl_cmd *cmd, const char **why)
{
	char *tok[5] = { NULL };
	char *p = strchr(line, '#');
	int n = 0;

	if (p)
		*p = '\0';
	while (n < 5 && (p = strsep(&line, " \t\r")) != NULL)
		if (*p)
			tok[n++] = p;
	if (line && *skip_spaces(line)) {
		*why = "too many arguments";
		return -EINVAL;
	}
	if (n == 0)
		return 0;
	*why = "bad arguments";
	memset(cmd, 0, sizeof(*cmd));
	if (!strcmp(tok[0], "alloc") && n == 3) {
		int t = bl_type(tok[2]);

		cmd->op = OP_ALLOC;
		if (bl_num(tok[1], &cmd->a) || cmd->a > BL_MAX_ORDER || t < 0)
			return -EINVAL;
		cmd->b = t;
	} else if (!strcmp(tok[0], "free") && n == 2) {
		cmd->op = OP_FREE;
		if (bl_num(tok[1], &cmd->a))
			return -EINVAL;
	} else if ((!strcmp(tok[0], "contig") && n == 3) ||
		   (!strcmp(tok[0], "unisolate") && n == 3) ||
		   (!strcmp(tok[0], "isolate") && (n == 3 || n == 4))) {
		cmd->op = tok[0][0] == 'c' ? OP_CONTIG : tok[0][0] == 'u' ? OP_UNISOLATE : OP_ISOLATE;
		if (bl_num(tok[1], &cmd->a) || bl_num(tok[2], &cmd->b) || !cmd->b)
			return -EINVAL;
		if (n == 4) {
			if (strcmp(tok[3], "offline"))
				return -EINVAL;
			cmd->flag = 1;
		}
	} else if (!strcmp(tok[0], "cma_alloc") && n == 3) {
		cmd->op = OP_CMA_ALLOC;
		if (bl_num(tok[1], &cmd->a) || bl_num(tok[2], &cmd->b) || !cmd->a)
			return -EINVAL;
	} else if (!strcmp(tok[0], "drain") && n == 1) {
		cmd->op = OP_DRAIN;
	} else if (!strcmp(tok[0], "watermark") && n == 3) {
		cmd->op = OP_WATERMARK;
		if (!strcmp(tok[1], "min"))
			cmd->flag = WMARK_MIN;
		else if (!strcmp(tok[1], "low"))
			cmd->flag = WMARK_LOW;
		else if (!strcmp(tok[1], "high"))
			cmd->flag = WMARK_HIGH;
		else
			return -EINVAL;
		if (bl_num(tok[2], &cmd->a) || cmd->a > BL_MAX_ORDER)
			return -EINVAL;
	} else if (!strcmp(tok[0], "anon") && n == 2) {
		cmd->op = OP_ANON;
		if (bl_num(tok[1], &cmd->a) || !cmd->a || cmd->a > BL_ANON_MAX)
			return -EINVAL;
	} else if (!strcmp(tok[0], "foreign_test") && n == 1) {
		cmd->op = OP_FOREIGN_TEST;
	} else if (!strcmp(tok[0], "bench_pair") && n == 2) {
		cmd->op = OP_BENCH_PAIR;
		if (bl_num(tok[1], &cmd->a))
			return -EINVAL;
	} else if (!strcmp(tok[0], "bench_churn") && (n == 2 || n == 3)) {
		cmd->op = OP_BENCH_CHURN;
		cmd->b = 50;	/* fill percent of managed pages before the churn, as buddybench */
		if (bl_num(tok[1], &cmd->a) || (n == 3 && bl_num(tok[2], &cmd->b)) || cmd->b > 90)
			return -EINVAL;
	} else {
		*why = "unknown command or wrong argument count";
		return -EINVAL;
	}
	return 1;
}

static void bl_print_cmd(unsigned int n, const struct bl_cmd *c)
{
	static const char *const marks[] = { [WMARK_MIN] = "min", [WMARK_LOW] = "low",
					     [WMARK_HIGH] = "high" };

	bl_out("cmd %u ", n);
	switch (c->op) {
	case OP_ALLOC:
		bl_out("alloc %lu %s\n", c->a, bl_list_names[c->b]);
		break;
	case OP_FREE:
		bl_out("free %lu\n", c->a);
		break;
	case OP_CONTIG:
		bl_out("contig 0x%lx %lu\n", c->a, c->b);
		break;
	case OP_ISOLATE:
		bl_out("isolate 0x%lx %lu%s\n", c->a, c->b, c->flag ? " offline" : "");
		break;
	case OP_UNISOLATE:
		bl_out("unisolate 0x%lx %lu\n", c->a, c->b);
		break;
	case OP_CMA_ALLOC:
		bl_out("cma_alloc %lu %lu\n", c->a, c->b);
		break;
	case OP_DRAIN:
		bl_out("drain\n");
		break;
	case OP_WATERMARK:
		bl_out("watermark %s %lu\n", marks[c->flag], c->a);
		break;
	case OP_BENCH_PAIR:
		bl_out("bench_pair %lu\n", c->a);
		break;
	case OP_BENCH_CHURN:
		bl_out("bench_churn %lu %lu\n", c->a, c->b);
		break;
	case OP_FOREIGN_TEST:
		bl_out("foreign_test\n");
		break;
	case OP_ANON:
		bl_out("anon %lu\n", c->a);
		break;
	}
}

/* ---- execution ---------------------------------------------------------------------------- */

/* No reclaim, no compaction, no kswapd wake-up: decisions depend on the buddy state only. */
static gfp_t bl_gfp(int type)
{
	gfp_t gfp = __GFP_NOWARN | __GFP_NORETRY;

	if (type == MIGRATE_MOVABLE)
		gfp |= __GFP_MOVABLE;
	else if (type == MIGRATE_RECLAIMABLE)
		gfp |= __GFP_RECLAIMABLE;
	return gfp;
}

static void bl_result_err(int err)
{
	switch (err) {
	case -EBUSY:
		bl_out("ebusy\n");
		break;
	case -ENOMEM:
		bl_out("enomem\n");
		break;
	case -EINVAL:
		bl_out("einval\n");
		break;
	default:
		bl_out("errno=%d\n", err);
	}
}

static unsigned long bl_rng_state;
static u64 bl_rand(void)		/* splitmix64, as buddylab's SplitMix64 */
{
	u64 z = (bl_rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void bl_bench_pair(unsigned long n)
{
	gfp_t gfp = bl_gfp(MIGRATE_MOVABLE);
	unsigned long i, failed = 0;
	u64 t0, t1;

	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		struct page *page = alloc_pages(gfp, 0);

		if (unlikely(!page)) {
			failed++;
			continue;
		}
		__free_pages(page, 0);
	}
	t1 = ktime_get_ns();
	bl_out("bench pair n=%lu failed=%lu pcp=%s ns_total=%llu ns_per_event=%llu.%02llu\n", n,
	       failed, buddylab_nopcp ? "off" : "on", t1 - t0, n ? (t1 - t0) / n : 0,
	       n ? ((t1 - t0) * 100 / n) % 100 : 0);
}

/* buddybench's churn: fill to fill% of managed pages with order-0 movable pages, then `events`
 * coin flips: heads allocates, tails frees a uniformly random live page. */
static void bl_bench_churn(struct bl_batch *b, unsigned long events, unsigned long fill)
{
	gfp_t gfp = bl_gfp(MIGRATE_MOVABLE);
	unsigned long live = 0, target = 0, i, failed = 0;
	struct zone *zone;
	u64 t0, t1;

	for_each_populated_zone(zone)
		target += zone_managed_pages(zone);
	target = min(target * fill / 100, b->live_cap);
	bl_rng_state = 1;
	while (live < target) {
		struct page *page = alloc_pages(gfp, 0);

		if (!page)
			break;
		b->live[live++] = page;
	}
	t0 = ktime_get_ns();
	for (i = 0; i < events; i++) {
		if ((bl_rand() & 1) && live) {
			unsigned long k = bl_rand() % live;

			__free_pages(b->live[k], 0);
			b->live[k] = b->live[--live];
		} else if (live < b->live_cap) {
			struct page *page = alloc_pages(gfp, 0);

			if (page)
				b->live[live++] = page;
			else
				failed++;
		}
	}
	t1 = ktime_get_ns();
	bl_out("bench churn events=%lu fill_pages=%lu failed=%lu pcp=%s ns_total=%llu ns_per_event=%llu.%02llu\n",
	       events, target, failed, buddylab_nopcp ? "off" : "on", t1 - t0,
	       events ? (t1 - t0) / events : 0, events ? ((t1 - t0) * 100 / events) % 100 : 0);
	while (live)
		__free_pages(b->live[--live], 0);
}

/* foreign_test: a kworker allocates and frees one order-0 unmovable page while the batch waits;
 * the probes must report both (proves that foreign activity cannot pass unseen). */
static unsigned long bl_foreign_test_pfn;
static void bl_foreign_test_fn(struct work_struct *work)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);

	bl_foreign_test_pfn = page ? page_to_pfn(page) : 0;
	if (page)
		__free_pages(page, 0);
}

static struct zone *bl_first_zone(void)
{
	struct zone *zone;

	for_each_populated_zone(zone)
		return zone;
	return NULL;
}

/* contig/isolate/unisolate ranges must lie inside one populated zone (the kernel functions do
 * not check: a pfn past the memmap would be dereferenced). */
static bool bl_range_ok(unsigned long pfn, unsigned long nr)
{
	struct zone *zone;

	for_each_populated_zone(zone)
		if (pfn >= zone->zone_start_pfn && nr <= zone_end_pfn(zone) - pfn &&
		    pfn_valid(pfn) && pfn_valid(pfn + nr - 1))
			return true;
	return false;
}

static void bl_execute(struct bl_batch *b, unsigned int n, const struct bl_cmd *c)
{
	struct bl_handle *h;
	struct page *page;
	int err;

	if (c->op == OP_BENCH_PAIR || c->op == OP_BENCH_CHURN) {
		if (c->op == OP_BENCH_PAIR)
			bl_bench_pair(c->a);
		else
			bl_bench_churn(b, c->a, c->b);
		bl_out("result %u ok\n", n);
		return;
	}
	bl_out("result %u ", n);
	if ((c->op == OP_CONTIG || c->op == OP_ISOLATE || c->op == OP_UNISOLATE) &&
	    !bl_range_ok(c->a, c->b)) {
		bl_out("einval\n");
		return;
	}
	switch (c->op) {
	case OP_ALLOC:
		WRITE_ONCE(bl_direct, true);
		page = alloc_pages(bl_gfp(c->b), c->a);
		WRITE_ONCE(bl_direct, false);
		if (!page) {
			bl_out("enomem\n");
			break;
		}
		b->handles[b->nhandles] = (struct bl_handle){ H_PAGE, page_to_pfn(page), c->a };
		bl_out("ok handle=%u pfn=0x%lx\n", b->nhandles++, page_to_pfn(page));
		break;
	case OP_FREE:
		if (c->a >= b->nhandles || b->handles[c->a].kind == H_NONE) {
			bl_out("einval\n");
			break;
		}
		h = &b->handles[c->a];
		if (h->kind == H_ANON) {	/* its frees are side events, like its faults */
			vm_munmap(h->pfn, h->n << PAGE_SHIFT);
			lru_add_drain();
			h->kind = H_NONE;
			bl_out("ok\n");
			break;
		}
		WRITE_ONCE(bl_direct, true);
		if (h->kind == H_PAGE)
			__free_pages(pfn_to_page(h->pfn), h->n);
		else if (h->kind == H_CONTIG)
			free_contig_range(h->pfn, h->n);
		else
			cma_release(bl_cma, pfn_to_page(h->pfn), h->n);
		WRITE_ONCE(bl_direct, false);
		h->kind = H_NONE;
		bl_out("ok\n");
		break;
	case OP_CONTIG:
		err = alloc_contig_range(c->a, c->a + c->b, MIGRATE_MOVABLE,
					 GFP_KERNEL | __GFP_NOWARN);
		if (err) {
			bl_result_err(err);
			break;
		}
		b->handles[b->nhandles] = (struct bl_handle){ H_CONTIG, c->a, c->b };
		bl_out("ok handle=%u pfn=0x%lx\n", b->nhandles++, c->a);
		break;
	case OP_ISOLATE:
		err = start_isolate_page_range(c->a, c->a + c->b, MIGRATE_MOVABLE,
					       c->flag ? MEMORY_OFFLINE | REPORT_FAILURE : 0,
					       GFP_KERNEL | __GFP_NOWARN);
		if (err)
			bl_result_err(err);
		else
			bl_out("ok\n");
		break;
	case OP_UNISOLATE:
		undo_isolate_page_range(c->a, c->a + c->b, MIGRATE_MOVABLE);
		bl_out("ok\n");
		break;
	case OP_CMA_ALLOC:
		if (!bl_cma) {
			bl_out("einval\n");
			break;
		}
		page = cma_alloc(bl_cma, c->a, c->b, true);
		if (!page) {
			bl_out("enomem\n");
			break;
		}
		b->handles[b->nhandles] = (struct bl_handle){ H_CMA, page_to_pfn(page), c->a };
		bl_out("ok handle=%u pfn=0x%lx\n", b->nhandles++, page_to_pfn(page));
		break;
	case OP_DRAIN:
		drain_all_pages(NULL);
		bl_out("ok\n");
		break;
	case OP_WATERMARK: {
		struct zone *zone = bl_first_zone();

		bl_out("%s\n", zone_watermark_ok_safe(zone, c->a, wmark_pages(zone, c->flag),
						       zone_idx(zone)) ? "ok" : "fail");
		break;
	}
	case OP_ANON: {
		/* Migratable movable pages: anonymous memory of the batch's own (user) task, faulted
		 * in now. Its page events (data pages, page tables, slab) are side events. */
		unsigned long len = c->a << PAGE_SHIFT, addr;

		if (!current->mm) {
			bl_out("einval\n");
			break;
		}
		addr = vm_mmap(NULL, 0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, 0);
		if (IS_ERR_VALUE(addr)) {
			bl_result_err((long)addr);
			break;
		}
		if (clear_user((void __user *)addr, len)) {
			vm_munmap(addr, len);
			bl_out("enomem\n");
			break;
		}
		lru_add_drain();	/* onto the LRU lists now, not at the next drain */
		b->handles[b->nhandles] = (struct bl_handle){ H_ANON, addr, c->a };
		bl_cur_nhandles = b->nhandles + 1;
		bl_out("ok handle=%u pages=%lu\n", b->nhandles++, c->a);
		break;
	}
	case OP_FOREIGN_TEST: {
		struct work_struct work;

		INIT_WORK_ONSTACK(&work, bl_foreign_test_fn);
		queue_work(system_wq, &work);
		flush_work(&work);
		destroy_work_on_stack(&work);
		bl_out("ok pfn=0x%lx\n", bl_foreign_test_pfn);
		break;
	}
	case OP_BENCH_PAIR:
	case OP_BENCH_CHURN:
		break;
	}
}

/* ---- debugfs ------------------------------------------------------------------------------ */

static char *bl_input;			/* the batch being written */
static size_t bl_input_len, bl_input_cap;

static ssize_t bl_run_write(struct file *file, const char __user *buf, size_t len, loff_t *ppos)
{
	if (bl_input_len + len + 1 > bl_input_cap) {
		size_t cap = max(bl_input_cap * 2, bl_input_len + len + 1);
		char *p = kvmalloc(cap, GFP_KERNEL);

		if (!p)
			return -ENOMEM;
		if (bl_input)
			memcpy(p, bl_input, bl_input_len);
		kvfree(bl_input);
		bl_input = p;
		bl_input_cap = cap;
	}
	if (copy_from_user(bl_input + bl_input_len, buf, len))
		return -EFAULT;
	bl_input_len += len;
	*ppos += len;
	return len;
}

static int bl_run_open(struct inode *inode, struct file *file)
{
	if (!mutex_trylock(&bl_mutex))
		return -EBUSY;
	kvfree(bl_input);
	bl_input = NULL;
	bl_input_len = bl_input_cap = 0;
	return 0;
}

/* Bytes for one state. A bench batch may leave every free page a separate block (pcp on: the
 * churn's pages come back one by one), so it gets the worst case: 11 bytes a managed page. */
static size_t bl_state_estimate(bool worst)
{
	struct zone *zone;
	size_t bytes = 512;
	unsigned int order;

	for_each_populated_zone(zone) {
		unsigned long blocks = 0;

		for (order = 0; order <= BL_MAX_ORDER; order++)
			blocks += zone->free_area[order].nr_free;
		/* 11 bytes a free block (twice today's count + 512 of room for fragmentation), one
		 * byte a pageblock; a batch that fragments more ends in `overflow`, never silently */
		bytes += 11 * (worst ? zone_managed_pages(zone) : 2 * blocks + 512) +
			 zone->spanned_pages / pageblock_nr_pages + 512;
	}
	return bytes;
}

static void bl_run_batch(void)
{
	struct bl_batch b = { };
	unsigned int lines = 1, i, n, lineno = 0;
	unsigned long bench_live = 0, anon_pages = 0;
	bool bench = false, probes = false;
	char *p, *line, *input = bl_input;
	const char *why = NULL;
	size_t cap;
	int err = 0;
	u64 t0;

	vfree(bl_log);
	bl_log = NULL;
	bl_log_len = bl_log_cap = 0;
	bl_log_overflow = false;
	if (!input)
		return;
	input[bl_input_len] = '\0';
	for (p = input; *p; p++)
		lines += *p == '\n';
	b.cmds = kvcalloc(lines, sizeof(*b.cmds), GFP_KERNEL);
	b.handles = kvcalloc(lines, sizeof(*b.handles), GFP_KERNEL);
	bl_foreign = kvcalloc(BL_FOREIGN_MAX, sizeof(*bl_foreign), GFP_KERNEL);
	bl_lru_cap = totalram_pages();
	bl_lru_pfns = kvmalloc_array(bl_lru_cap, sizeof(*bl_lru_pfns), GFP_KERNEL);
	if (!b.cmds || !b.handles || !bl_foreign || !bl_lru_pfns) {
		pr_err("buddylab: cannot allocate the batch tables\n");
		goto out;
	}

	/* Parse everything first: an error runs nothing. */
	while ((line = strsep(&input, "\n")) != NULL) {
		struct bl_cmd *c = &b.cmds[b.ncmds];

		lineno++;
		err = bl_parse_line(line, c, &why);
		if (err < 0)
			break;
		if (err == 0)
			continue;
		if (c->op == OP_BENCH_CHURN || c->op == OP_BENCH_PAIR)
			bench = true;
		if (c->op == OP_ANON)
			anon_pages += c->a;
		b.ncmds++;
	}
	/* each state lists every anon page (11 bytes); anon faults log about 2 side lines a page */
	cap = err < 0 ? 256 : (b.ncmds + 1) * (bl_state_estimate(bench) + 11 * anon_pages) +
			      (size_t)b.ncmds * 160 + 96 * anon_pages + 8192;
	bl_log = vmalloc(cap);
	if (!bl_log) {
		pr_err("buddylab: cannot allocate a log buffer of %zu bytes\n", cap);
		goto out;
	}
	bl_log_cap = cap;
	if (err < 0) {
		bl_out("error line %u: %s\n", lineno, why);
		goto out;
	}
	if (bench) {
		struct zone *zone;

		for_each_populated_zone(zone)
			bench_live += zone_managed_pages(zone);
		b.live = kvmalloc_array(bench_live, sizeof(*b.live), GFP_KERNEL);
		if (!b.live) {
			bl_out("error: cannot allocate the bench array\n");
			goto out;
		}
		b.live_cap = bench_live;
	}

	bl_header();
	/* A batch with bench commands runs without the probes: they would be timed too. */
	bl_out("batch commands=%u log_bytes=%zu pcp=%s foreign_probe=%s\n", b.ncmds, cap,
	       buddylab_nopcp ? "off" : "on", bench ? "off" : "on");
	WRITE_ONCE(bl_self, current);
	if (!bench) {
		err = register_trace_mm_page_alloc(bl_probe_alloc, NULL);
		if (!err) {
			err = register_trace_mm_page_free(bl_probe_free, NULL);
			if (err)
				unregister_trace_mm_page_alloc(bl_probe_alloc, NULL);
		}
		if (!err) {
			err = register_trace_mm_compaction_isolate_freepages(bl_probe_compaction, NULL);
			if (err) {
				unregister_trace_mm_page_free(bl_probe_free, NULL);
				unregister_trace_mm_page_alloc(bl_probe_alloc, NULL);
			}
		}
		if (err) {
			bl_out("error: tracepoint probes: %d\n", err);
			goto out;
		}
		probes = true;
	}
	spin_lock_irq(&bl_foreign_lock);	/* events before state 0 are inside it */
	bl_nforeign = bl_foreign_lost = 0;
	spin_unlock_irq(&bl_foreign_lock);
	bl_cur_handles = b.handles;
	bl_cur_nhandles = 0;
	bl_snapshot(0);
	t0 = ktime_get_ns();
	for (i = 0, n = 1; i < b.ncmds && !bl_log_overflow; i++, n++) {
		bl_print_cmd(n, &b.cmds[i]);
		bl_execute(&b, n, &b.cmds[i]);
		bl_snapshot(n);
	}
	/* commands executed and snapshotted after state 0: the lockstep throughput of this side */
	bl_out("elapsed commands=%u ns=%llu\n", i, ktime_get_ns() - t0);
	if (probes) {
		unregister_trace_mm_compaction_isolate_freepages(bl_probe_compaction, NULL);
		unregister_trace_mm_page_free(bl_probe_free, NULL);
		unregister_trace_mm_page_alloc(bl_probe_alloc, NULL);
		tracepoint_synchronize_unregister();
	}
	WRITE_ONCE(bl_self, NULL);
	bl_cur_handles = NULL;
	bl_cur_nhandles = 0;
	if (bl_log_overflow) {
		/* keep room for the marker: drop the partial last record */
		bl_log_overflow = false;
		bl_log_len = min(bl_log_len, bl_log_cap - 64);
		bl_out("\noverflow (log buffer of %zu bytes is full)\n", cap);
	} else {
		bl_out("done\n");
	}
out:
	WRITE_ONCE(bl_self, NULL);
	if (bl_foreign) {
		spin_lock_irq(&bl_foreign_lock);
		kvfree(bl_foreign);
		bl_foreign = NULL;
		spin_unlock_irq(&bl_foreign_lock);
	}
	kvfree(b.cmds);
	kvfree(b.handles);
	kvfree(bl_lru_pfns);
	bl_lru_pfns = NULL;
	bl_lru_cap = 0;
	kvfree(b.live);
	kvfree(bl_input);
	bl_input = NULL;
	bl_input_len = bl_input_cap = 0;
}

static int bl_run_release(struct inode *inode, struct file *file)
{
	if (file->f_mode & FMODE_WRITE)
		bl_run_batch();
	mutex_unlock(&bl_mutex);
	return 0;
}

static ssize_t bl_log_read(struct file *file, char __user *buf, size_t len, loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&bl_mutex);
	ret = simple_read_from_buffer(buf, len, ppos, bl_log, bl_log ? bl_log_len : 0);
	mutex_unlock(&bl_mutex);
	return ret;
}

static const struct file_operations bl_run_fops = {
	.owner = THIS_MODULE,
	.open = bl_run_open,
	.write = bl_run_write,
	.release = bl_run_release,
};

static const struct file_operations bl_log_fops = {
	.owner = THIS_MODULE,
	.read = bl_log_read,
	.llseek = default_llseek,
};

static int __init bl_init(void)
{
	struct dentry *dir = debugfs_create_dir("buddylab", NULL);

	debugfs_create_file("run", 0200, dir, NULL, &bl_run_fops);
	debugfs_create_file("log", 0400, dir, NULL, &bl_log_fops);
	pr_info("buddylab oracle: pageblock_order=%u max_order=%d nopcp=%d cma=%s\n",
		(unsigned int)pageblock_order, BL_MAX_ORDER, buddylab_nopcp ? 1 : 0,
		bl_cma ? "yes" : "no");
	return 0;
}
late_initcall(bl_init);
