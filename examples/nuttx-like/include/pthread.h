#ifndef __INCLUDE_PTHREAD_H
#define __INCLUDE_PTHREAD_H

#include <sys/types.h>
#include <semaphore.h>
#include <time.h>

#define PTHREAD_MUTEX_NORMAL      0
#define PTHREAD_MUTEX_ERRORCHECK  1    /* NuttX's order; Linux: RECURSIVE 1, ERRORCHECK 2 */
#define PTHREAD_MUTEX_RECURSIVE   2
#define PTHREAD_MUTEX_DEFAULT     PTHREAD_MUTEX_NORMAL

#define PTHREAD_PROCESS_PRIVATE   0
#define PTHREAD_PROCESS_SHARED    1

#define PTHREAD_STACK_MIN         256  /* Linux: 16384 */
#define PTHREAD_KEYS_MAX          4

typedef int16_t pthread_t;       /* a task ID, not a pointer as on Linux */
typedef int pthread_key_t;

struct pthread_mutexattr_s
{
  uint8_t pshared : 1;           /* PTHREAD_PROCESS_* */
#ifdef CONFIG_PTHREAD_MUTEX_TYPES
  uint8_t type    : 2;           /* PTHREAD_MUTEX_* */
#endif
  uint8_t proto   : 2;           /* SEM_PRIO_* */
};
typedef struct pthread_mutexattr_s pthread_mutexattr_t;

struct pthread_mutex_s
{
  FAR struct pthread_mutex_s *flink;  /* robust mutex list */
  sem_t sem;                          /* the semaphore underneath */
  pid_t pid;                          /* holder, -1 when unlocked */
#ifdef CONFIG_PTHREAD_MUTEX_TYPES
  uint8_t type;                       /* PTHREAD_MUTEX_* */
  int16_t nlocks;                     /* recursion depth */
#endif
};
typedef struct pthread_mutex_s pthread_mutex_t;

#ifdef CONFIG_PTHREAD_MUTEX_TYPES
#  define PTHREAD_MUTEX_INITIALIZER \
     {NULL, SEM_INITIALIZER(1), -1, PTHREAD_MUTEX_DEFAULT, 0}
#else
#  define PTHREAD_MUTEX_INITIALIZER {NULL, SEM_INITIALIZER(1), -1}
#endif

struct pthread_cond_s
{
  sem_t sem;
  clockid_t clockid;
};
typedef struct pthread_cond_s pthread_cond_t;
#define PTHREAD_COND_INITIALIZER  {SEM_INITIALIZER(0), CLOCK_REALTIME}

struct pthread_attr_s
{
  uint8_t priority;
  uint8_t policy;
  uint8_t inheritsched;
  uint8_t detachstate;
  FAR void *stackaddr;
  size_t stacksize;
};
typedef struct pthread_attr_s pthread_attr_t;

typedef CODE void *(*pthread_startroutine_t)(FAR void *arg);

int pthread_create(FAR pthread_t *thread, FAR const pthread_attr_t *attr,
                   pthread_startroutine_t startroutine, FAR void *arg);
int pthread_join(pthread_t thread, FAR void **value);
int pthread_mutex_init(FAR pthread_mutex_t *mutex,
                       FAR const pthread_mutexattr_t *attr);
int pthread_mutex_lock(FAR pthread_mutex_t *mutex);
int pthread_mutex_trylock(FAR pthread_mutex_t *mutex);
int pthread_mutex_unlock(FAR pthread_mutex_t *mutex);
int pthread_mutex_destroy(FAR pthread_mutex_t *mutex);
int pthread_cond_wait(FAR pthread_cond_t *cond, FAR pthread_mutex_t *mutex);
int pthread_cond_signal(FAR pthread_cond_t *cond);

#endif /* __INCLUDE_PTHREAD_H */
