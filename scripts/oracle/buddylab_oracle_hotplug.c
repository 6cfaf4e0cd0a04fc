// SPDX-License-Identifier: GPL-2.0
/*
 * buddylab oracle driver: `offline PFN NR` and `online PFN NR`, a memory block taken offline or
 * brought back online exactly as writing 0 / 1 to /sys/devices/system/memory/memoryN/online
 * does it: online_store() -> device_offline()/device_online() under lock_device_hotplug(),
 * -> memory_subsys_offline()/memory_subsys_online() -> memory_block_change_state() ->
 * memory_block_offline()/memory_block_online() -> offline_pages()/online_pages()
 * (drivers/base/memory.c, mm/memory_hotplug.c). Online uses the block's default online type
 * (MMOP_ONLINE: the kernel zone that spans it, zone_for_pfn_range()), as device_online() does.
 * See buddylab_oracle.h; PROTOCOL.md lists the results.
 */
#include "buddylab_oracle.h"

#ifdef CONFIG_MEMORY_HOTREMOVE
#include <linux/device.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>

static unsigned long bl_block_pages(void)
{
	return memory_block_size_bytes() >> PAGE_SHIFT;
}

/* The memory block device of [pfn, pfn + nr), which must be exactly one block; NULL otherwise. */
static struct memory_block *bl_block(unsigned long pfn, unsigned long nr)
{
	if (nr != bl_block_pages() || pfn % bl_block_pages() || !pfn_valid(pfn))
		return NULL;
	return find_memory_block(pfn_to_section_nr(pfn));
}

/*
 * device_offline()/device_online() answer 1 when the block already is in the asked state (the
 * sysfs store then reports success without calling the memory code); the driver answers -EINVAL
 * there, as offline_pages() would not be reached: PROTOCOL.md.
 */
static int bl_change(unsigned long pfn, unsigned long nr, bool online)
{
	struct memory_block *mem;
	int err;

	lock_device_hotplug();
	mem = bl_block(pfn, nr);
	if (!mem) {
		err = -EINVAL;
	} else {
		err = online ? device_online(&mem->dev) : device_offline(&mem->dev);
		put_device(&mem->dev);
	}
	unlock_device_hotplug();
	return err > 0 ? -EINVAL : err;
}

int bl_offline_block(unsigned long pfn, unsigned long nr)
{
	return bl_change(pfn, nr, false);
}

int bl_online_block(unsigned long pfn, unsigned long nr)
{
	return bl_change(pfn, nr, true);
}

/*
 * buddylab_hotadd=PFN+PAGES: RAM the guest has but the kernel was told to leave alone (the host
 * boots it with mem= at PFN's address), which `hotadd PFN NR` adds one memory block at a time:
 * add_memory() is what the ACPI memory device driver calls for a hot-plugged DIMM
 * (acpi_memory_enable_device -> __add_memory), without the ACPI tables a pc-dimm needs.
 */
static unsigned long bl_hotadd_start, bl_hotadd_pages;

static int __init bl_hotadd_setup(char *s)
{
	char *plus = strchr(s, '+');

	if (!plus)
		return -EINVAL;
	*plus = '\0';
	if (kstrtoul(s, 0, &bl_hotadd_start) || kstrtoul(plus + 1, 0, &bl_hotadd_pages)) {
		pr_err("buddylab: buddylab_hotadd=%s: want PFN+PAGES\n", s);
		bl_hotadd_start = bl_hotadd_pages = 0;
	}
	return 0;
}
early_param("buddylab_hotadd", bl_hotadd_setup);

/* `hotadd PFN NR`: one memory block of the hidden range added, offline (MHP_NONE, node 0). */
int bl_hotadd_block(unsigned long pfn, unsigned long nr)
{
	if (nr != bl_block_pages() || pfn % bl_block_pages() || pfn < bl_hotadd_start ||
	    pfn + nr > bl_hotadd_start + bl_hotadd_pages)
		return -EINVAL;
	return add_memory(0, PFN_PHYS(pfn), PFN_PHYS(nr), MHP_NONE);
}

/* `memory_block pages=N`: the hotplug unit, so the host can name blocks; `hotadd_range 0xSTART
 * 0xEND` when the boot left RAM for `hotadd`. */
void bl_hotplug_header(void)
{
	bl_out("memory_block pages=%lu\n", bl_block_pages());
	if (bl_hotadd_pages)
		bl_out("hotadd_range 0x%lx 0x%lx\n", bl_hotadd_start, bl_hotadd_start + bl_hotadd_pages);
}

#else /* no memory hotplug (User-Mode Linux) */

int bl_offline_block(unsigned long pfn, unsigned long nr)
{
	return -EOPNOTSUPP;
}

int bl_online_block(unsigned long pfn, unsigned long nr)
{
	return -EOPNOTSUPP;
}

int bl_hotadd_block(unsigned long pfn, unsigned long nr)
{
	return -EOPNOTSUPP;
}

void bl_hotplug_header(void)
{
}
#endif
