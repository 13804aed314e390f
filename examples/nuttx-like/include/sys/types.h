#ifndef __INCLUDE_SYS_TYPES_H
#define __INCLUDE_SYS_TYPES_H

#include <nuttx/config.h>
#include <nuttx/compiler.h>
#include <arch/types.h>

typedef _int8_t    int8_t;
typedef _uint8_t   uint8_t;
typedef _int16_t   int16_t;
typedef _uint16_t  uint16_t;
typedef _int32_t   int32_t;
typedef _uint32_t  uint32_t;
typedef _int64_t   int64_t;
typedef _uint64_t  uint64_t;
typedef _size_t    size_t;
typedef _ssize_t   ssize_t;
typedef _uintptr_t uintptr_t;

typedef int16_t    pid_t;      /* NuttX task IDs are 16-bit */
typedef uint32_t   mode_t;
typedef int32_t    off_t;
typedef uint32_t   socklen_t;
typedef uint16_t   sa_family_t;
typedef int        clockid_t;
typedef int64_t    time_t;     /* 64-bit, as with CONFIG_SYSTEM_TIME64 */

#endif /* __INCLUDE_SYS_TYPES_H */
