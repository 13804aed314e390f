#ifndef __INCLUDE_ARCH_TYPES_H
#define __INCLUDE_ARCH_TYPES_H

/* Fixed-width types keyed on the compiler's predefined macros, as real RTOS ports do. */
typedef signed char        _int8_t;
typedef unsigned char      _uint8_t;
typedef signed short       _int16_t;
typedef unsigned short     _uint16_t;
#if __INT_MAX__ == 0x7fff
typedef signed long        _int32_t;
typedef unsigned long      _uint32_t;
#else
typedef signed int         _int32_t;
typedef unsigned int       _uint32_t;
#endif
typedef signed long long   _int64_t;
typedef unsigned long long _uint64_t;

#if __SIZEOF_POINTER__ == 8
typedef _int64_t           _ssize_t;
typedef _uint64_t          _size_t;
typedef _uint64_t          _uintptr_t;
#else
typedef _int32_t           _ssize_t;
typedef _uint32_t          _size_t;
typedef _uint32_t          _uintptr_t;
#endif

#endif /* __INCLUDE_ARCH_TYPES_H */
