#ifndef __INCLUDE_SEMAPHORE_H
#define __INCLUDE_SEMAPHORE_H

#include <sys/types.h>

#define SEM_PRIO_NONE     0
#define SEM_PRIO_INHERIT  1
#define SEM_PRIO_PROTECT  2

#ifdef CONFIG_PRIORITY_INHERITANCE
struct semholder_s
{
#ifdef CONFIG_SEM_HOLDER_LIST
  FAR struct semholder_s *flink;  /* list of holders when preallocated */
#endif
  FAR void *htcb;                 /* holder TCB */
  int16_t counts;                 /* number of counts held */
};

#  ifdef CONFIG_SEM_HOLDER_LIST
#    define SEMHOLDER_INITIALIZER {NULL, NULL, 0}
#  else
#    define SEMHOLDER_INITIALIZER {NULL, 0}
#  endif
#endif

struct sem_s
{
  volatile int16_t semcount;      /* >0 available, <0 number of waiters */
  uint8_t flags;                  /* SEM_PRIO_* */
#ifdef CONFIG_PRIORITY_INHERITANCE
  struct semholder_s holder;      /* single inline holder */
#endif
};

typedef struct sem_s sem_t;

#ifdef CONFIG_PRIORITY_INHERITANCE
#  define SEM_INITIALIZER(c) {(c), SEM_PRIO_INHERIT, SEMHOLDER_INITIALIZER}
#else
#  define SEM_INITIALIZER(c) {(c), SEM_PRIO_NONE}
#endif

int sem_init(FAR sem_t *sem, int pshared, unsigned int value);
int sem_wait(FAR sem_t *sem);
int sem_trywait(FAR sem_t *sem);
int sem_post(FAR sem_t *sem);
int sem_destroy(FAR sem_t *sem);

#endif /* __INCLUDE_SEMAPHORE_H */
