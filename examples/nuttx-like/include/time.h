#ifndef __INCLUDE_TIME_H
#define __INCLUDE_TIME_H

#include <sys/types.h>

#define CLOCK_REALTIME   0
#define CLOCK_MONOTONIC  1

struct timespec
{
  time_t tv_sec;
  long   tv_nsec;
};

int clock_gettime(clockid_t clockid, FAR struct timespec *ts);

#endif /* __INCLUDE_TIME_H */
