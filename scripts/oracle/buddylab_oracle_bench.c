// SPDX-License-Identifier: GPL-2.0
/*
 * buddylab oracle driver: the performance anchor, timed inside the kernel on the shape of
 * buddylab's buddybench (order-0 alloc+free pairs; coin-flip churn over a 50% full machine).
 * See buddylab_oracle.h.
 */
#include "buddylab_oracle.h"

static unsigned long bl_rng_state;
static u64 bl_rand(void)		/* splitmix64, as buddylab's SplitMix64 */
{
	u64 z = (bl_rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void bl_bench_pair(unsigned long n)
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
void bl_bench_churn(struct bl_batch *b, unsigned long events, unsigned long fill)
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

