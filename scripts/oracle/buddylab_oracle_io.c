// SPDX-License-Identifier: GPL-2.0
/*
 * buddylab oracle driver: the batch's two files, the command file HOSTDIR/cmds and the log.
 * See buddylab_oracle.h and PROTOCOL.md ("Running one batch").
 *
 * User-Mode Linux: both are host files, opened, read and written with UML's host calls
 * (os_open_file, os_read_file, os_write_file): neither goes through the guest's page cache, so
 * streaming them allocates no guest page, and a write is allowed with zone->lock held.
 *
 * x86_64 under QEMU: the command file is HOSTDIR/cmds inside the initramfs (ramfs: already in
 * the page cache, so kernel_read() allocates nothing). It is opened once, before state 0, and
 * only rewound for the second pass: a filp_open() after state 0 could take a slab page and show
 * up as a side event of command 1. The log goes out byte by byte through QEMU's isa-debugcon
 * port (`-debugcon file:LOG`, I/O port 0xe9): port writes allocate nothing, take no lock, need
 * no interrupt and keep their order, so the log is streamed exactly where UML writes its host
 * file, with zone->lock held or not. Interactive batches are UML only (no channel back).
 */
#include "buddylab_oracle.h"

#ifdef CONFIG_UML
#include <os.h>		/* UML: os_open_file, os_read_file, os_write_file */

static int bl_host_open(const char *dir, const char *name, struct openflags flags)
{
	char path[BL_DIR_MAX + 16];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return os_open_file(path, flags, 0644);
}

static int bl_log_fd = -1;

int bl_io_open_log(const char *dir)
{
	bl_log_fd = bl_host_open(dir, "log", of_create(of_trunc(of_write(OPENFLAGS()))));
	return bl_log_fd < 0 ? bl_log_fd : 0;
}

int bl_io_write_log(const char *buf, size_t len)
{
	return os_write_file(bl_log_fd, buf, min_t(size_t, len, 1 << 30));
}

void bl_io_close_log(void)
{
	if (bl_log_fd >= 0)
		os_close_file(bl_log_fd);
	bl_log_fd = -1;
}

int bl_io_open_cmds(const char *dir)
{
	return bl_host_open(dir, "cmds", of_read(OPENFLAGS()));
}

int bl_io_read_cmds(int fd, char *buf, size_t len)
{
	return os_read_file(fd, buf, len);
}

void bl_io_close_cmds(int fd)
{
	os_close_file(fd);
}

/*
 * Interactive batches (HOSTDIR/go is a FIFO): the driver logs state 0 and a `ready` line, then
 * waits — the whole User-Mode Linux process blocked in the host's open/read of the FIFO, so the
 * guest does nothing meanwhile — until the host has chosen the commands against that very state
 * and written HOSTDIR/cmds.
 */
bool bl_io_interactive(const char *dir)
{
	char path[BL_DIR_MAX + 16];

	snprintf(path, sizeof(path), "%s/go", dir);
	return os_file_type(path) == OS_TYPE_FIFO;
}

int bl_io_wait_for_host(const char *dir)
{
	char buf[64];
	int fd, n;

	do {
		fd = bl_host_open(dir, "go", of_read(OPENFLAGS()));
	} while (fd == -EINTR);
	if (fd < 0)
		return fd;
	do {
		n = os_read_file(fd, buf, sizeof(buf));
	} while (n > 0 || n == -EINTR || n == -EAGAIN);
	os_close_file(fd);
	return n;
}

#else /* x86_64 under QEMU */
#include <linux/fs.h>
#include <linux/io.h>

#define BL_DEBUGCON_PORT 0xe9	/* QEMU isa-debugcon's default port */

static bool bl_log_open;

int bl_io_open_log(const char *dir)
{
	bl_log_open = true;
	return 0;
}

int bl_io_write_log(const char *buf, size_t len)
{
	if (!bl_log_open)
		return -EBADF;
	outsb(BL_DEBUGCON_PORT, buf, len);
	return len;
}

void bl_io_close_log(void)
{
	bl_log_open = false;
}

/* The one command file of this boot, kept open from pass 1 through pass 2. */
static struct file *bl_cmds_file;
static char bl_cmds_path[BL_DIR_MAX + 16];
static loff_t bl_cmds_pos;

int bl_io_open_cmds(const char *dir)
{
	char path[BL_DIR_MAX + 16];
	struct file *f;

	snprintf(path, sizeof(path), "%s/cmds", dir);
	if (bl_cmds_file && !strcmp(path, bl_cmds_path)) {
		bl_cmds_pos = 0;
		return 0;
	}
	if (bl_cmds_file)
		filp_close(bl_cmds_file, NULL);
	bl_cmds_file = NULL;
	f = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	bl_cmds_file = f;
	strscpy(bl_cmds_path, path, sizeof(bl_cmds_path));
	bl_cmds_pos = 0;
	return 0;
}

int bl_io_read_cmds(int fd, char *buf, size_t len)
{
	return kernel_read(bl_cmds_file, buf, len, &bl_cmds_pos);
}

void bl_io_close_cmds(int fd)
{
	/* kept open: see the top of this file */
}

bool bl_io_interactive(const char *dir)
{
	return false;
}

int bl_io_wait_for_host(const char *dir)
{
	return -EOPNOTSUPP;
}
#endif
