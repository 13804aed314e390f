#ifndef __INCLUDE_FCNTL_H
#define __INCLUDE_FCNTL_H

#include <sys/types.h>

#define O_RDONLY    (1 << 0)        /* NuttX: read and write are separate bits */
#define O_WRONLY    (1 << 1)
#define O_RDWR      (O_RDONLY | O_WRONLY)
#define O_CREAT     (1 << 2)
#define O_EXCL      (1 << 3)
#define O_APPEND    (1 << 4)
#define O_TRUNC     (1 << 5)
#define O_NONBLOCK  (1 << 6)
#define O_SYNC      (1 << 7)
#define O_BINARY    (1 << 8)
#define O_DIRECT    (1 << 9)
#define O_CLOEXEC   (1 << 10)
#define O_NOCTTY    0

#define F_DUPFD     0
#define F_GETFD     1
#define F_SETFD     2
#define F_GETFL     3
#define F_SETFL     4
#define FD_CLOEXEC  1

int open(FAR const char *path, int oflag, ...);
int fcntl(int fd, int cmd, ...);

#endif /* __INCLUDE_FCNTL_H */
