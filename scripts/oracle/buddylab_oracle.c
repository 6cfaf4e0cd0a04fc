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
#include "buddylab_oracle.h"

/* ---- boot-time CMA area ---------------------------------------------------------------- */

struct cma *bl_cma;

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
