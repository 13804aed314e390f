#ifndef __INCLUDE_NUTTX_COMPILER_H
#define __INCLUDE_NUTTX_COMPILER_H

/* Pointer qualifiers of segmented architectures; empty on flat ones. */
#define FAR
#define NEAR
#define CODE

#if defined(__GNUC__) || defined(__clang__)
#  define begin_packed_struct
#  define end_packed_struct __attribute__((packed))
#  define aligned_data(n)   __attribute__((aligned(n)))
#  define noreturn_function __attribute__((noreturn))
#else
#  define begin_packed_struct
#  define end_packed_struct
#  define aligned_data(n)
#  define noreturn_function
#endif

#ifndef NULL
#  define NULL ((FAR void *)0)
#endif

#endif /* __INCLUDE_NUTTX_COMPILER_H */
