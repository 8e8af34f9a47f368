/* watch.c: an LD_PRELOAD library for tests/t-robust.sh that records what a process opens and
 * whether it reaches for the network. Every path passed to an open call is appended to the
 * file named by $OCTAVO_WATCH_LOG as "open PATH"; socket() for IPv4/IPv6, connect() and name
 * lookups are refused and recorded as "net ...". Built at test time:
 *   cc -shared -fPIC -o watch.so tests/robust/watch.c -ldl */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

static void
note(const char *what, const char *detail)
{
	const char *log = getenv("OCTAVO_WATCH_LOG");
	char line[4200];
	int fd, n;
	if (log == NULL)
		return;
	n = snprintf(line, sizeof line, "%s %s\n", what, detail ? detail : "");
	if (n < 0)
		return;
	if (n >= (int)sizeof line)
		n = sizeof line - 1;
	/* the real open, through the syscall wrapper that is not interposed here */
	fd = (int)syscall(SYS_openat, AT_FDCWD, log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0) {
		if (write(fd, line, (size_t)n) < 0) { /* nothing to do */ }
		close(fd);
	}
}

#define NEXT(name) static __typeof__(name) *next_##name; if (!next_##name) next_##name = dlsym(RTLD_NEXT, #name)

static mode_t
mode_arg(int flags, va_list ap)
{
	return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...)
{
	va_list ap; mode_t m; NEXT(open);
	va_start(ap, flags); m = mode_arg(flags, ap); va_end(ap);
	note("open", path);
	return next_open(path, flags, m);
}

int open64(const char *path, int flags, ...)
{
	va_list ap; mode_t m; NEXT(open64);
	va_start(ap, flags); m = mode_arg(flags, ap); va_end(ap);
	note("open", path);
	return next_open64(path, flags, m);
}

int openat(int dir, const char *path, int flags, ...)
{
	va_list ap; mode_t m; NEXT(openat);
	va_start(ap, flags); m = mode_arg(flags, ap); va_end(ap);
	note("open", path);
	return next_openat(dir, path, flags, m);
}

int openat64(int dir, const char *path, int flags, ...)
{
	va_list ap; mode_t m; NEXT(openat64);
	va_start(ap, flags); m = mode_arg(flags, ap); va_end(ap);
	note("open", path);
	return next_openat64(dir, path, flags, m);
}

int __open_2(const char *path, int flags) { NEXT(__open_2); note("open", path); return next___open_2(path, flags); }
int __open64_2(const char *path, int flags) { NEXT(__open64_2); note("open", path); return next___open64_2(path, flags); }
int __openat_2(int dir, const char *path, int flags) { NEXT(__openat_2); note("open", path); return next___openat_2(dir, path, flags); }
int __openat64_2(int dir, const char *path, int flags) { NEXT(__openat64_2); note("open", path); return next___openat64_2(dir, path, flags); }
FILE *fopen(const char *path, const char *mode) { NEXT(fopen); note("open", path); return next_fopen(path, mode); }
FILE *fopen64(const char *path, const char *mode) { NEXT(fopen64); note("open", path); return next_fopen64(path, mode); }
FILE *freopen(const char *path, const char *mode, FILE *f) { NEXT(freopen); note("open", path); return next_freopen(path, mode, f); }

int socket(int domain, int type, int protocol)
{
	NEXT(socket);
	if (domain == AF_INET || domain == AF_INET6) {
		note("net", "socket");
		errno = EACCES;
		return -1;
	}
	return next_socket(domain, type, protocol);
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	NEXT(connect);
	if (addr && (addr->sa_family == AF_INET || addr->sa_family == AF_INET6)) {
		note("net", "connect");
		errno = EACCES;
		return -1;
	}
	return next_connect(fd, addr, len);
}

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res)
{
	(void)service; (void)hints; (void)res;
	note("net getaddrinfo", node);
	return EAI_FAIL;
}

struct hostent *gethostbyname(const char *name)
{
	note("net gethostbyname", name);
	return NULL;
}
