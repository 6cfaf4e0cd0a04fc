// SPDX-License-Identifier: GPL-2.0
/*
 * buddylab oracle driver: parsing the command batch and executing one command.
 * See buddylab_oracle.h.
 */
#include "buddylab_oracle.h"

/* ---- parsing ------------------------------------------------------------------------------ */

/* The words of the watermark and compaction-priority arguments, indexed by their enum: one
 * table each for parsing (bl_word) and printing. */
static const char *const bl_mark_words[] = { [WMARK_MIN] = "min", [WMARK_LOW] = "low",
					     [WMARK_HIGH] = "high" };
static const char *const bl_prio_words[] = { [COMPACT_PRIO_SYNC_FULL] = "sync_full",
					     [COMPACT_PRIO_SYNC_LIGHT] = "sync_light",
					     [COMPACT_PRIO_ASYNC] = "async" };

/* The index of `s` in `words` (n entries), or -1. */
static int bl_word(const char *s, const char *const *words, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (words[i] && !strcmp(s, words[i]))
			return i;
	return -1;
}

/* An allocation type word (`unmovable`, `movable`, `reclaimable`): its migratetype, or -1. */
static int bl_type(const char *s)
{
	return bl_word(s, bl_list_names, MIGRATE_PCPTYPES);
}

static int bl_num(const char *s, unsigned long *v)
{
	return s ? kstrtoul(s, 0, v) : -EINVAL;
}

/* Parse one line into cmd; returns 1 for a command, 0 for blank/comment, <0 with *why set. */
int bl_parse_line(char *line, struct bl_cmd *cmd, const char **why)
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
	if (!strcmp(tok[0], "alloc") && (n == 3 || n == 4)) {
		int t = bl_type(tok[2]);
		char *w, *words = tok[3];

		cmd->op = OP_ALLOC;
		if (bl_num(tok[1], &cmd->a) || cmd->a > BL_MAX_ORDER || t < 0)
			return -EINVAL;
		cmd->b = t;
		while (words && (w = strsep(&words, ",")) != NULL) {
			if (!strcmp(w, "high"))
				cmd->flag |= BL_GFP_HIGH;
			else if (!strcmp(w, "comp"))
				cmd->flag |= BL_GFP_COMP;
			else if (!strcmp(w, "dma"))
				cmd->flag |= BL_GFP_DMA;
			else if (!strcmp(w, "dma32"))
				cmd->flag |= BL_GFP_DMA32;
			else
				return -EINVAL;
		}
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
	} else if ((!strcmp(tok[0], "offline") || !strcmp(tok[0], "online") || !strcmp(tok[0], "hotadd")) && n == 3) {
		cmd->op = tok[0][0] == 'h' ? OP_HOTADD : tok[0][1] == 'f' ? OP_OFFLINE : OP_ONLINE;
		if (bl_num(tok[1], &cmd->a) || bl_num(tok[2], &cmd->b) || !cmd->b)
			return -EINVAL;
	} else if (!strcmp(tok[0], "cma_alloc") && n == 3) {
		cmd->op = OP_CMA_ALLOC;
		if (bl_num(tok[1], &cmd->a) || bl_num(tok[2], &cmd->b) || !cmd->a)
			return -EINVAL;
	} else if (!strcmp(tok[0], "drain") && n == 1) {
		cmd->op = OP_DRAIN;
	} else if (!strcmp(tok[0], "watermark") && n == 3) {
		int mark = bl_word(tok[1], bl_mark_words, ARRAY_SIZE(bl_mark_words));

		cmd->op = OP_WATERMARK;
		if (mark < 0 || bl_num(tok[2], &cmd->a) || cmd->a > BL_MAX_ORDER)
			return -EINVAL;
		cmd->flag = mark;
	} else if (!strcmp(tok[0], "anon") && n == 2) {
		cmd->op = OP_ANON;
		if (bl_num(tok[1], &cmd->a) || !cmd->a || cmd->a > BL_ANON_MAX)
			return -EINVAL;
	} else if (!strcmp(tok[0], "compact") && n == 1) {
		cmd->op = OP_COMPACT;
	} else if (!strcmp(tok[0], "compact") && n == 4) {
		/* compact ORDER TYPE PRIO: a direct compaction for one request */
		int t = bl_type(tok[2]);
		int prio = bl_word(tok[3], bl_prio_words, ARRAY_SIZE(bl_prio_words));

		cmd->op = OP_COMPACT_ORDER;
		if (bl_num(tok[1], &cmd->a) || !cmd->a || cmd->a > BL_MAX_ORDER || t < 0 || prio < 0)
			return -EINVAL;
		cmd->b = t;
		cmd->flag = prio;
	} else if (!strcmp(tok[0], "kcompactd") && n == 2) {
		cmd->op = OP_KCOMPACTD;
		if (bl_num(tok[1], &cmd->a) || !cmd->a || cmd->a > BL_MAX_ORDER)
			return -EINVAL;
	} else if (!strcmp(tok[0], "proactive") && n == 2) {
		cmd->op = OP_PROACTIVE;
		if (bl_num(tok[1], &cmd->a) || cmd->a > 100)
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

void bl_print_cmd(unsigned int n, const struct bl_cmd *c)
{
	bl_out("cmd %u ", n);
	switch (c->op) {
	case OP_ALLOC:
	{
		/* the words in a fixed order, comma-separated: high, comp, dma, dma32 */
		static const char *const words[] = { "high", "comp", "dma", "dma32" };
		unsigned int w;
		bool first = true;

		bl_out("alloc %lu %s", c->a, bl_list_names[c->b]);
		for (w = 0; w < ARRAY_SIZE(words); w++) {
			if (!(c->flag & (1 << w)))
				continue;
			bl_out("%s%s", first ? " " : ",", words[w]);
			first = false;
		}
		bl_out("\n");
		break;
	}
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
		bl_out("watermark %s %lu\n", bl_mark_words[c->flag], c->a);
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
	case OP_COMPACT:
		bl_out("compact\n");
		break;
	case OP_COMPACT_ORDER:
		bl_out("compact %lu %s %s\n", c->a, bl_list_names[c->b], bl_prio_words[c->flag]);
		break;
	case OP_KCOMPACTD:
		bl_out("kcompactd %lu\n", c->a);
		break;
	case OP_PROACTIVE:
		bl_out("proactive %lu\n", c->a);
		break;
	case OP_OFFLINE:
		bl_out("offline 0x%lx %lu\n", c->a, c->b);
		break;
	case OP_ONLINE:
		bl_out("online 0x%lx %lu\n", c->a, c->b);
		break;
	case OP_HOTADD:
		bl_out("hotadd 0x%lx %lu\n", c->a, c->b);
		break;
	}
}

/* ---- execution ---------------------------------------------------------------------------- */

/* No reclaim, no compaction, no kswapd wake-up: decisions depend on the buddy state only. */
gfp_t bl_gfp(int type)
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

/* `kcompactd ORDER`: kcompactd_do_work() asks kthread_should_stop(), so it runs on a kthread of
 * ours; while it runs that thread is the batch's task for the probes (its page events are the
 * command's side events), and the command ends once the thread has exited (kthread_stop). */
struct bl_kcompactd_arg {
	int order;
	struct completion done;
};

static int bl_kcompactd_fn(void *data)
{
	struct bl_kcompactd_arg *a = data;

	buddylab_kcompactd(a->order);
	complete(&a->done);
	return 0;
}

static int bl_kcompactd(int order)
{
	struct bl_kcompactd_arg a = { .order = order };
	struct task_struct *self = current, *t;

	init_completion(&a.done);
	t = kthread_create(bl_kcompactd_fn, &a, "bl_kcompactd");
	if (IS_ERR(t))
		return PTR_ERR(t);
	get_task_struct(t);
	WRITE_ONCE(bl_self, t);
	wake_up_process(t);
	wait_for_completion(&a.done);
	WRITE_ONCE(bl_self, self);
	kthread_stop(t);
	put_task_struct(t);
	return 0;
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

/* Protocol 2: a command's handle is its index in the batch (command n → handle n - 1), so a
 * command file names every handle exactly even when some allocation before it failed. */
static unsigned int bl_take(struct bl_batch *b, unsigned int n, struct bl_handle h)
{
	b->handles[n - 1] = h;
	b->nhandles = max(b->nhandles, n);
	return n - 1;
}

void bl_execute(struct bl_batch *b, unsigned int n, const struct bl_cmd *c)
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
		page = alloc_pages(bl_gfp(c->b) | (c->flag & BL_GFP_HIGH ? __GFP_HIGH : 0) |
				   (c->flag & BL_GFP_COMP ? __GFP_COMP : 0) |
				   (c->flag & BL_GFP_DMA ? __GFP_DMA : 0) |
				   (c->flag & BL_GFP_DMA32 ? __GFP_DMA32 : 0), c->a);
		WRITE_ONCE(bl_direct, false);
		if (!page) {
			bl_out("enomem\n");
			break;
		}
		bl_out("ok handle=%u pfn=0x%lx\n", bl_take(b, n, (struct bl_handle){ H_PAGE, page_to_pfn(page), c->a }),
		       page_to_pfn(page));
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
		bl_out("ok handle=%u pfn=0x%lx\n", bl_take(b, n, (struct bl_handle){ H_CONTIG, c->a, c->b }), c->a);
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
	case OP_OFFLINE:
	case OP_ONLINE:
		/* their page events (migration, pcp drains) are side events; the pages leave or join
		 * the buddy through __offline_isolated_pages()/online_pages_range() without one */
		err = c->op == OP_OFFLINE ? bl_offline_block(c->a, c->b) : bl_online_block(c->a, c->b);
		if (err)
			bl_result_err(err);
		else
			bl_out("ok\n");
		break;
	case OP_HOTADD:
		/* add_memory(): the memmap's vmemmap pages and the memory block devices are side
		 * events; the block itself stays offline (no CONFIG_MEMORY_HOTPLUG_DEFAULT_ONLINE) */
		err = bl_hotadd_block(c->a, c->b);
		if (err)
			bl_result_err(err);
		else
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
		bl_out("ok handle=%u pfn=0x%lx\n", bl_take(b, n, (struct bl_handle){ H_CMA, page_to_pfn(page), c->a }),
		       page_to_pfn(page));
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
		bl_out("ok handle=%u pages=%lu\n", bl_take(b, n, (struct bl_handle){ H_ANON, addr, c->a }), c->a);
		bl_cur_nhandles = n;	/* the state lists anon handles below this */
		break;
	}
	case OP_COMPACT: {
		/* compact_node() (what /proc/sys/vm/compact_memory does): a whole-zone pass over every
		 * populated zone in zone order, through our patch's buddylab_compact_zone() in
		 * mm/compaction.c (compact_zone is static). One zone on User-Mode Linux. */
		struct zone *zone;

		for_each_populated_zone(zone)
			buddylab_compact_zone(zone);
		bl_out("ok\n");
		break;
	}
	case OP_COMPACT_ORDER: {
		/* What __alloc_pages_direct_compact() does for an order-ORDER TYPE request before it
		 * tries the free lists again: try_to_compact_pages() (deferral, compact_zone_order()
		 * with capture, defer_compaction()), the captured page allocated and held like an
		 * `alloc` of that order. Its migrations are side events, as `compact`'s. */
		static const char *const results[] = {
			[COMPACT_NOT_SUITABLE_ZONE] = "not_suitable_zone", [COMPACT_SKIPPED] = "skipped",
			[COMPACT_DEFERRED] = "deferred", [COMPACT_NO_SUITABLE_PAGE] = "no_suitable_page",
			[COMPACT_CONTINUE] = "continue", [COMPACT_COMPLETE] = "complete",
			[COMPACT_PARTIAL_SKIPPED] = "partial_skipped", [COMPACT_CONTENDED] = "contended",
			[COMPACT_SUCCESS] = "success",
		};
		int rc = buddylab_compact_order(bl_gfp(c->b) | GFP_KERNEL, c->a, c->flag, &page);

		if (page) {
			bl_out("ok handle=%u pfn=0x%lx\n",
			       bl_take(b, n, (struct bl_handle){ H_PAGE, page_to_pfn(page), c->a }),
			       page_to_pfn(page));
			break;
		}
		if (rc >= 0 && rc < ARRAY_SIZE(results) && results[rc])
			bl_out("%s\n", results[rc]);
		else
			bl_out("errno=%d\n", rc);
		break;
	}
	case OP_KCOMPACTD:
		err = bl_kcompactd(c->a);
		if (err)
			bl_result_err(err);
		else
			bl_out("ok\n");
		break;
	case OP_PROACTIVE:
		bl_out("%s\n", buddylab_proactive(c->a) ? "ok" : "skipped");
		break;
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

