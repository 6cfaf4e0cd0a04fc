/* SPDX-License-Identifier: GPL-2.0 */
/*
 * buddylab oracle driver, shared declarations. The driver (built into mm/ by buddylab's
 * scripts/oracle/patch-tree) is four files:
 *   buddylab_oracle.c        boot-time CMA area, debugfs files, running one batch
 *   buddylab_oracle_state.c  the log, the snapshot of the buddy state, the page-event probes
 *   buddylab_oracle_cmds.c   parsing and executing the commands
 *   buddylab_oracle_bench.c  the performance anchor (bench_pair, bench_churn)
 * Protocol: scripts/oracle/PROTOCOL.md of the buddylab repository (version 2).
 */
#ifndef BUDDYLAB_ORACLE_H
#define BUDDYLAB_ORACLE_H

#include <linux/cma.h>
#include <linux/debugfs.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/sched/task.h>
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

enum bl_op {
	OP_ALLOC, OP_FREE, OP_CONTIG, OP_ISOLATE, OP_UNISOLATE, OP_CMA_ALLOC, OP_DRAIN,
	OP_WATERMARK, OP_BENCH_PAIR, OP_BENCH_CHURN, OP_FOREIGN_TEST, OP_ANON, OP_COMPACT, OP_COMPACT_ORDER, OP_KCOMPACTD, OP_PROACTIVE, OP_OFFLINE,
	OP_ONLINE, OP_HOTADD,
};

struct bl_cmd {
	enum bl_op op;
	unsigned long a, b;	/* order/handle/pfn/count/events ; type/nr/align/fill% */
	int flag;		/* isolate: offline; watermark: mark; alloc: BL_GFP_* */
};

/* alloc's optional gfp words (`alloc ORDER TYPE high,comp`): deterministic additions only —
 * never a reclaim bit, so a request still depends on the buddy state alone. */
#define BL_GFP_HIGH	1	/* __GFP_HIGH: ALLOC_MIN_RESERVE, and HIGHATOMIC for order > 0 */
#define BL_GFP_COMP	2	/* __GFP_COMP: a compound page */
#define BL_GFP_DMA	4	/* __GFP_DMA: ZONE_DMA only (zone-directed, x86_64) */
#define BL_GFP_DMA32	8	/* __GFP_DMA32: ZONE_DMA32 and below */

enum bl_handle_kind { H_NONE, H_PAGE, H_CONTIG, H_CMA, H_ANON };

struct bl_handle {
	enum bl_handle_kind kind;
	unsigned long pfn, n;	/* H_PAGE: n = order; H_CONTIG/H_CMA/H_ANON: n = pages;
				 * H_ANON: pfn = user address of the mapping */
};

#define BL_ANON_MAX 65536	/* pages of one anon command */


#define BL_FOREIGN_MAX 16384
enum bl_foreign_kind { F_ALLOC, F_FREE, F_COMPACTION };
struct bl_foreign {
	enum bl_foreign_kind kind;
	bool side;		/* inside the driver's command, not its direct call */
	unsigned long pfn, end;	/* F_COMPACTION: the scanned range [pfn, end) */
	unsigned long order;	/* F_COMPACTION: free pages taken */
	int type;
	bool comp;		/* F_ALLOC: __GFP_COMP (a compound page) */
};


struct bl_batch {
	unsigned int ncmds;
	struct bl_handle *handles;
	unsigned int nhandles;
	struct page **live;		/* bench_churn's live pages */
	unsigned long live_cap;
};

/* buddylab_oracle.c */
extern struct cma *bl_cma;

/* buddylab_oracle_state.c */
extern const char *const bl_list_names[MIGRATE_TYPES];
extern struct bl_handle *bl_cur_handles;
extern unsigned int bl_cur_nhandles;
extern spinlock_t bl_foreign_lock;
extern struct bl_foreign *bl_foreign;
extern unsigned int bl_nforeign, bl_foreign_lost;
extern struct task_struct *bl_self;
extern bool bl_direct;
extern char *bl_log;
extern size_t bl_log_len, bl_log_cap;
extern bool bl_log_overflow;
extern struct mutex bl_mutex;
extern unsigned long *bl_lru_pfns;
extern unsigned long bl_lru_cap;
void bl_probe_alloc(void *data, struct page *page, unsigned int order, gfp_t gfp, int migratetype);
void bl_probe_free(void *data, struct page *page, unsigned int order);
void bl_probe_compaction(void *data, unsigned long start_pfn, unsigned long end_pfn,
			 unsigned long nr_scanned, unsigned long nr_taken);
__printf(1, 2) void bl_out(const char *fmt, ...);
void bl_log_flush(void);			/* buddylab_oracle.c */
/* mm/compaction.c (scripts/oracle/patch-tree, edit d): compact_node()'s pass over one zone. */
int buddylab_compact_zone(struct zone *zone);
/* mm/compaction.c (patch-tree, edit e): __alloc_pages_direct_compact()'s compaction for one
 * request — try_to_compact_pages() at a priority, the captured page allocated (post_alloc_hook)
 * and compaction_defer_reset(zone, order, true) for it. Returns the enum compact_result. */
int buddylab_compact_order(gfp_t gfp, unsigned int order, int prio, struct page **page);
/* mm/compaction.c (patch-tree, edit f): one kcompactd wake-up for ORDER (run on a kthread), and
 * the proactive pass at a given vm.compaction_proactiveness (returns whether it ran). */
void buddylab_kcompactd(int order);
int buddylab_proactive(unsigned int proactiveness);
void bl_snapshot(unsigned int n);
void bl_header(void);

/* buddylab_oracle_io.c: the command file and the log (UML: host files; x86_64: the initramfs
 * and QEMU's debugcon port) */
#define BL_DIR_MAX 512
int bl_io_open_log(const char *dir);
int bl_io_write_log(const char *buf, size_t len);	/* bytes written or -errno */
void bl_io_close_log(void);
int bl_io_open_cmds(const char *dir);			/* a descriptor >= 0 or -errno */
int bl_io_read_cmds(int fd, char *buf, size_t len);	/* bytes read, 0 at the end, or -errno */
void bl_io_close_cmds(int fd);
bool bl_io_interactive(const char *dir);
int bl_io_wait_for_host(const char *dir);

/* buddylab_oracle_hotplug.c: offline/online of a memory block (CONFIG_MEMORY_HOTREMOVE) */
int bl_offline_block(unsigned long pfn, unsigned long nr);
int bl_online_block(unsigned long pfn, unsigned long nr);
int bl_hotadd_block(unsigned long pfn, unsigned long nr);
void bl_hotplug_header(void);

/* buddylab_oracle_cmds.c */
int bl_parse_line(char *line, struct bl_cmd *cmd, const char **why);
void bl_print_cmd(unsigned int n, const struct bl_cmd *c);
void bl_execute(struct bl_batch *b, unsigned int n, const struct bl_cmd *c);
gfp_t bl_gfp(int type);

/* buddylab_oracle_bench.c */
void bl_bench_pair(unsigned long n);
void bl_bench_churn(struct bl_batch *b, unsigned long events, unsigned long fill);

#endif
