#ifndef __INCLUDE_ERRNO_H
#define __INCLUDE_ERRNO_H

#include <nuttx/config.h>

#define EPERM            1
#define ENOENT           2
#define ESRCH            3
#define EINTR            4
#define EIO              5
#define EBADF            9
#define EAGAIN          11
#define EWOULDBLOCK     EAGAIN
#define ENOMEM          12
#define EACCES          13
#define EBUSY           16
#define EEXIST          17
#define EINVAL          22
#define ENOSYS          38
#define ENOTSUP         ENOSYS      /* differs from Linux, where ENOTSUP == EOPNOTSUPP (95) */
#define EOPNOTSUPP      95
#define ETIMEDOUT      110
#define ECONNREFUSED   111
#define EINPROGRESS    115

extern int *__errno(void);
#define errno (*__errno())

#endif /* __INCLUDE_ERRNO_H */
