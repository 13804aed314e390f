#ifndef __INCLUDE_NUTTX_CONFIG_H
#define __INCLUDE_NUTTX_CONFIG_H

/* In NuttX this file is generated from .config by tools/mkconfig. Here the CONFIG_ values
 * come from `--config configs/<board>.config`; this file only adds the derived settings
 * that mkconfig appends. */

#ifndef CONFIG_NFILE_DESCRIPTORS
#  define CONFIG_NFILE_DESCRIPTORS 8
#endif

#if defined(CONFIG_PRIORITY_INHERITANCE) && CONFIG_SEM_PREALLOCHOLDERS > 0
#  define CONFIG_SEM_HOLDER_LIST 1
#endif

#endif /* __INCLUDE_NUTTX_CONFIG_H */
