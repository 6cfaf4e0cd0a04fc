// SPDX-License-Identifier: GPL-2.0
/*
 * buddylab oracle driver: runs a batch of page-allocator commands inside the kernel and logs the
 * whole buddy state after every command, for lockstep comparison with the buddylab simulator.
 * Protocol: scripts/oracle/PROTOCOL.md of the buddylab repository (version 2).
 *
 *   /sys/kernel/debug/buddylab/run  write the batch's directory HOSTDIR; when the file is
 *                                   closed the driver reads HOSTDIR/cmds (twice: check, then run)
 *                                   and streams the log out (buddylab_oracle_io.c: UML's host
 *                                   calls, or QEMU's debugcon port on x86_64)
 *
 * Everything the batch needs is allocated BEFORE the initial snapshot `state 0`, so the driver's
 * own bookkeeping never shows up as a difference between two states; what could depend on the
 * batch's length (log buffer, handle table, input buffer) is allocated at boot with fixed sizes,
 * so a probe boot and the batch boot start from the same state. Built in (mm/buddylab_oracle.c via buddylab's patch-tree):
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
#include <linux/compaction.h>	/* kcompactd_stop */
#include <linux/swap.h>		/* kswapd_stop */
#if defined(CONFIG_DMA_CMA) && !defined(CONFIG_UML)
#include <linux/dma-map-ops.h>	/* dma_contiguous_default_area */
#endif

/* kswapd and kcompactd stopped at boot (bl_init; PROTOCOL.md, "Quiet guest"). */
static bool bl_daemons_stopped;

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

/* ---- fixed allocations, made at boot ------------------------------------------------------ */

/*
 * Everything whose size could depend on the batch is allocated once, at boot, with sizes that do
 * not depend on it: the log buffer (streamed to the host in chunks), the handle table
 * (buddylab_handles=N entries, default 16384) and the input chunk buffer. A probe boot and the
 * batch boot then start from the same buddy state whatever the batch's length, and a batch of
 * 10^5–10^6 commands needs no buffer proportional to it.
 */
static unsigned long bl_handles_cap = 16384;
static struct bl_handle *bl_handles;
static char *bl_inbuf;
#define BL_IN_CHUNK 65536	/* longest command line: BL_IN_CHUNK - 1 bytes */
#define BL_LOG_CAP (1UL << 20)	/* log buffer: 256 pages */

static int __init bl_handles_setup(char *s)
{
	unsigned long n;

	if (!kstrtoul(s, 0, &n) && n > 0 && n <= (1UL << 24))
		bl_handles_cap = n;
	else
		pr_err("buddylab: buddylab_handles=%s: want 1..16777216\n", s);
	return 0;
}
early_param("buddylab_handles", bl_handles_setup);

/* ---- the batch's files (buddylab_oracle_io.c: UML host calls, or initramfs + debugcon) ---- */

/* The batch's directory, written to debugfs `run` by the guest's init: HOSTDIR/cmds is the
 * command file; the log goes to HOSTDIR/log (UML) or QEMU's debugcon port (x86_64). */
static char bl_dir[BL_DIR_MAX];
static size_t bl_dir_len;
static bool bl_log_is_open;
static bool bl_log_failed;

/* Writes the buffered log out and empties the buffer. */
void bl_log_flush(void)
{
	size_t done = 0;

	if (!bl_log_is_open)
		return;
	while (!bl_log_failed && done < bl_log_len) {
		int n = bl_io_write_log(bl_log + done, bl_log_len - done);

		if (n <= 0) {
			pr_err("buddylab: writing the log failed: %d\n", n);
			bl_log_failed = true;
		} else {
			done += n;
		}
	}
	bl_log_len = 0;
}

/* Line reader over the command file, through the fixed chunk buffer. */
struct bl_reader {
	int fd;
	size_t pos, len;
	bool eof;
	unsigned int lineno;
};

static int bl_reader_open(struct bl_reader *r)
{
	*r = (struct bl_reader){ .fd = bl_io_open_cmds(bl_dir) };
	return r->fd < 0 ? r->fd : 0;
}

/* The next line (NUL-terminated, without its newline), NULL at the end; *err < 0 when a line is
 * longer than the buffer or the read failed. */
static char *bl_next_line(struct bl_reader *r, int *err)
{
	for (;;) {
		char *nl = memchr(bl_inbuf + r->pos, '\n', r->len - r->pos);
		int n;

		if (nl) {
			char *line = bl_inbuf + r->pos;

			*nl = '\0';
			r->pos = nl - bl_inbuf + 1;
			r->lineno++;
			return line;
		}
		if (r->eof) {
			if (r->pos == r->len)
				return NULL;
			char *line = bl_inbuf + r->pos;

			bl_inbuf[r->len] = '\0';	/* a last line without newline */
			r->lineno++;
			r->pos = r->len;
			return line;
		}
		memmove(bl_inbuf, bl_inbuf + r->pos, r->len - r->pos);
		r->len -= r->pos;
		r->pos = 0;
		if (r->len == BL_IN_CHUNK - 1) {
			*err = -E2BIG;
			return NULL;
		}
		n = bl_io_read_cmds(r->fd, bl_inbuf + r->len, BL_IN_CHUNK - 1 - r->len);
		if (n < 0) {
			*err = n;
			return NULL;
		}
		r->len += n;
		r->eof = n == 0;
	}
}

/* ---- debugfs ------------------------------------------------------------------------------ */

static ssize_t bl_run_write(struct file *file, const char __user *buf, size_t len, loff_t *ppos)
{
	if (bl_dir_len + len >= sizeof(bl_dir))
		return -ENAMETOOLONG;
	if (copy_from_user(bl_dir + bl_dir_len, buf, len))
		return -EFAULT;
	bl_dir_len += len;
	bl_dir[bl_dir_len] = '\0';
	*ppos += len;
	return len;
}

static int bl_run_open(struct inode *inode, struct file *file)
{
	if (!mutex_trylock(&bl_mutex))
		return -EBUSY;
	bl_dir_len = 0;
	bl_dir[0] = '\0';
	return 0;
}

/* Pass 1: parse every line (an error runs nothing); count commands, spot bench commands. */
static int bl_check_batch(unsigned int *ncmds, bool *bench, unsigned int *bad_line, const char **why)
{
	struct bl_reader r;
	struct bl_cmd c;
	char *line;
	int err = bl_reader_open(&r), rerr = 0;

	*ncmds = 0;
	*bench = false;
	if (err) {
		*why = "cannot open the host's command file";
		*bad_line = 0;
		return err;
	}
	while ((line = bl_next_line(&r, &rerr)) != NULL) {
		err = bl_parse_line(line, &c, why);
		if (err < 0)
			break;
		if (err == 0)
			continue;
		if (c.op == OP_BENCH_CHURN || c.op == OP_BENCH_PAIR)
			*bench = true;
		++*ncmds;
	}
	if (rerr) {
		err = rerr;
		*why = rerr == -E2BIG ? "line too long" : "reading the host's command file failed";
		r.lineno++;
	}
	*bad_line = r.lineno;
	bl_io_close_cmds(r.fd);
	return err < 0 ? err : 0;
}

/* Pass 1 and the handle table for it; logs the error and returns nonzero when the batch is
 * refused. Handles are assigned per successful command from 0, so ncmds entries suffice. */
static int bl_check_commands(struct bl_batch *b, bool *bench)
{
	unsigned int bad_line = 0;
	const char *why = NULL;

	if (bl_check_batch(&b->ncmds, bench, &bad_line, &why) < 0) {
		bl_out("error line %u: %s\n", bad_line, why);
		return -EINVAL;
	}
	if (b->ncmds > bl_handles_cap) {
		bl_out("error line %u: a batch of %u commands needs buddylab_handles=%u or more\n",
		       bad_line, b->ncmds, b->ncmds);
		return -E2BIG;
	}
	memset(bl_handles, 0, b->ncmds * sizeof(*bl_handles));
	return 0;
}

static void bl_run_batch(void)
{
	struct bl_batch b = { .handles = bl_handles };
	unsigned int i = 0, n;
	unsigned long bench_live = 0;
	bool bench = false, probes = false, interactive;
	struct bl_reader r = { .fd = -1 };
	struct bl_cmd c;
	const char *why = NULL;
	char *line;
	int err, rerr = 0;
	u64 t0 = 0;

	bl_log_len = 0;
	bl_log_overflow = bl_log_failed = false;
	while (bl_dir_len && (bl_dir[bl_dir_len - 1] == '\n' || bl_dir[bl_dir_len - 1] == ' '))
		bl_dir[--bl_dir_len] = '\0';
	if (!bl_dir_len)
		return;
	err = bl_io_open_log(bl_dir);
	if (err < 0) {
		pr_err("buddylab: cannot create the log for %s: %d\n", bl_dir, err);
		return;
	}
	bl_log_is_open = true;
	if (!bl_log || !bl_handles || !bl_inbuf) {
		bl_out("error: the boot-time buffers could not be allocated\n");
		goto out;
	}
	interactive = bl_io_interactive(bl_dir);
	if (!interactive && bl_check_commands(&b, &bench))
		goto out;
	bl_foreign = kvcalloc(BL_FOREIGN_MAX, sizeof(*bl_foreign), GFP_KERNEL);
	bl_lru_cap = totalram_pages();
	bl_lru_pfns = kvmalloc_array(bl_lru_cap, sizeof(*bl_lru_pfns), GFP_KERNEL);
	if (!bl_foreign || !bl_lru_pfns) {
		bl_out("error: cannot allocate the batch tables\n");
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
	/* A batch with bench commands runs without the probes: they would be timed too. An
	 * interactive batch's command count is not known yet (its `elapsed` line has it). */
	/* gfp_comp=on: an order > 0 `foreign`/`side alloc` says ` comp` when it is compound */
	bl_out("batch commands=%u log_bytes=%zu pcp=%s foreign_probe=%s daemons=%s gfp_comp=on%s\n", b.ncmds, bl_log_cap,
	       buddylab_nopcp ? "off" : "on", bench ? "off" : "on", bl_daemons_stopped ? "stopped" : "running",
	       interactive ? " mode=interactive" : "");
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
	if (interactive) {
		bl_out("ready\n");
		bl_log_flush();
		err = bl_io_wait_for_host(bl_dir);
		if (err < 0) {
			bl_out("error: waiting for the host's go: %d\n", err);
			goto unregister;
		}
		if (bl_check_commands(&b, &bench))
			goto unregister;
		if (bench) {
			/* its array would be allocated after state 0 */
			bl_out("error: bench commands need a plain batch\n");
			goto unregister;
		}
	}
	if (bl_reader_open(&r)) {
		bl_out("error: cannot reopen the host's command file\n");
		goto unregister;
	}
	t0 = ktime_get_ns();
	/* Pass 2: execute line by line; the log goes to the host whenever its buffer fills. */
	for (i = 0, n = 1; i < b.ncmds && !bl_log_overflow && !bl_log_failed; ) {
		line = bl_next_line(&r, &rerr);
		if (!line)
			break;
		if (bl_parse_line(line, &c, &why) <= 0)
			continue;
		bl_print_cmd(n, &c);
		bl_execute(&b, n, &c);
		bl_snapshot(n);
		i++, n++;
	}
	/* commands executed and snapshotted after state 0: the lockstep throughput of this side */
	bl_out("elapsed commands=%u ns=%llu\n", i, ktime_get_ns() - t0);
unregister:
	if (probes) {
		unregister_trace_mm_compaction_isolate_freepages(bl_probe_compaction, NULL);
		unregister_trace_mm_page_free(bl_probe_free, NULL);
		unregister_trace_mm_page_alloc(bl_probe_alloc, NULL);
		tracepoint_synchronize_unregister();
	}
	WRITE_ONCE(bl_self, NULL);
	bl_cur_handles = NULL;
	bl_cur_nhandles = 0;
	if (r.fd < 0) {
		/* refused before the first command: the error line is the log's last record */
	} else if (bl_log_overflow) {
		/* keep room for the marker: drop the partial last record */
		bl_log_overflow = false;
		bl_log_len = min(bl_log_len, bl_log_cap - 64);
		bl_out("\noverflow (one record is longer than the log buffer of %zu bytes)\n", bl_log_cap);
	} else if (i < b.ncmds) {
		bl_out("error: the command file changed or could not be read again (%d)\n", rerr);
	} else {
		bl_out("done\n");
	}
out:
	WRITE_ONCE(bl_self, NULL);
	if (r.fd >= 0)
		bl_io_close_cmds(r.fd);
	if (bl_foreign) {
		spin_lock_irq(&bl_foreign_lock);
		kvfree(bl_foreign);
		bl_foreign = NULL;
		spin_unlock_irq(&bl_foreign_lock);
	}
	kvfree(bl_lru_pfns);
	bl_lru_pfns = NULL;
	bl_lru_cap = 0;
	kvfree(b.live);
	bl_log_flush();
	bl_io_close_log();
	bl_log_is_open = false;
}

static int bl_run_release(struct inode *inode, struct file *file)
{
	if (file->f_mode & FMODE_WRITE)
		bl_run_batch();
	mutex_unlock(&bl_mutex);
	return 0;
}

static const struct file_operations bl_run_fops = {
	.owner = THIS_MODULE,
	.open = bl_run_open,
	.write = bl_run_write,
	.release = bl_run_release,
};

static int __init bl_init(void)
{
	struct dentry *dir = debugfs_create_dir("buddylab", NULL);
	int nid;

	/*
	 * No reclaim or compaction daemon runs beside the commands: kswapd, woken by the guest's own
	 * allocations once the zone is below LOW, reclaimed page cache while the commands ran (its
	 * frees are replayed after the command they overlapped, in the wrong order relative to it),
	 * and kcompactd's compaction cannot be replayed at all. Stopped here, at late_initcall, where
	 * kswapd_stop()/kcompactd_stop() (__meminit without CONFIG_MEMORY_HOTPLUG) still exist.
	 * wakeup_kswapd()/wakeup_kcompactd() then find no sleeper and return. The guest's own
	 * allocations below MIN reclaim directly (their frees are foreign events).
	 */
	for_each_online_node(nid) {
		kswapd_stop(nid);
		kcompactd_stop(nid);
	}
	bl_daemons_stopped = true;

	debugfs_create_file("run", 0200, dir, NULL, &bl_run_fops);
	/* Streamed whenever full (bl_out): its size only sets how often the host is written. */
	bl_log_cap = BL_LOG_CAP;
	bl_log = vmalloc(bl_log_cap);
	bl_handles = vmalloc(array_size(bl_handles_cap, sizeof(*bl_handles)));
	bl_inbuf = kmalloc(BL_IN_CHUNK, GFP_KERNEL);
	if (!bl_log || !bl_handles || !bl_inbuf)
		pr_err("buddylab: cannot allocate the boot-time buffers (log %zu bytes, %lu handles)\n",
		       bl_log_cap, bl_handles_cap);
#if defined(CONFIG_DMA_CMA) && !defined(CONFIG_UML)
	/* x86_64: early parameters run before memblock knows the end of DRAM, so the area comes
	 * from the kernel's own `cma=SIZE` (dma_contiguous_reserve() in setup_arch), named
	 * "reserved"; the driver uses it as its own. */
	if (!bl_cma)
		bl_cma = dma_contiguous_default_area;
#endif
	pr_info("buddylab oracle: pageblock_order=%u max_order=%d nopcp=%d cma=%s handles=%lu\n",
		(unsigned int)pageblock_order, BL_MAX_ORDER, buddylab_nopcp ? 1 : 0,
		bl_cma ? "yes" : "no", bl_handles_cap);
	return 0;
}
late_initcall(bl_init);
