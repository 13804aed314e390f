#ifndef __INCLUDE_SYS_IOCTL_H
#define __INCLUDE_SYS_IOCTL_H

#include <sys/types.h>

/* ioctl numbers: an 8-bit type and an 8-bit command, composed by a function-like macro. */
#define _IOC_MASK        (0x00ff)
#define _IOC_TYPE(cmd)   ((cmd) & ~_IOC_MASK)
#define _IOC_NR(cmd)     ((cmd) & _IOC_MASK)
#define _IOC(type, nr)   ((type) | (nr))

#define _TIOCBASE        (0x0100)
#define _FIOCBASE        (0x0200)
#define _SIOCBASE        (0x0300)

#define _FIOC(nr)        _IOC(_FIOCBASE, nr)
#define FIOCLEX          _FIOC(0x0001)
#define FIONCLEX         _FIOC(0x0002)
#define FIONBIO          _FIOC(0x0003)
#define FIONREAD         _FIOC(0x0004)

int ioctl(int fd, int req, ...);  /* NuttX: an int request; Linux: unsigned long */

#endif /* __INCLUDE_SYS_IOCTL_H */
