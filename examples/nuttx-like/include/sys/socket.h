#ifndef __INCLUDE_SYS_SOCKET_H
#define __INCLUDE_SYS_SOCKET_H

#include <sys/types.h>
#include <fcntl.h>

#define PF_UNSPEC      0
#define PF_UNIX        1
#define PF_INET        2
#define PF_INET6      10
#define AF_UNSPEC      PF_UNSPEC
#define AF_UNIX        PF_UNIX
#define AF_INET        PF_INET
#define AF_INET6       PF_INET6

#define SOCK_STREAM    1
#define SOCK_DGRAM     2
#define SOCK_RAW       3
#define SOCK_CLOEXEC   O_CLOEXEC     /* shares the open flag, as in NuttX */
#define SOCK_NONBLOCK  O_NONBLOCK

/* Socket levels and options: NuttX numbers them from 0, Linux does not. */
#define SOL_SOCKET     0
#define SO_ACCEPTCONN  0
#define SO_BROADCAST   1
#define SO_DEBUG       2
#define SO_DONTROUTE   3
#define SO_ERROR       4
#define SO_KEEPALIVE   5
#define SO_LINGER      6
#define SO_OOBINLINE   7
#define SO_RCVBUF      8
#define SO_RCVLOWAT    9
#define SO_RCVTIMEO   10
#define SO_REUSEADDR  11
#define SO_SNDBUF     12
#define SO_SNDLOWAT   13
#define SO_SNDTIMEO   14
#define SO_TYPE       15

#define MSG_PEEK      0x02
#define MSG_DONTWAIT  0x40
#define MSG_NOSIGNAL  0x4000

#ifdef CONFIG_NET_IPv6
#  define SS_MAXSIZE  28
#else
#  define SS_MAXSIZE  16
#endif
#define SS_ALIGNSIZE  (sizeof(uint32_t))
#define SS_PAD1SIZE   (SS_ALIGNSIZE - sizeof(sa_family_t))
#define SS_PAD2SIZE   (SS_MAXSIZE - (sizeof(sa_family_t) + SS_PAD1SIZE + SS_ALIGNSIZE))

struct sockaddr
{
  sa_family_t sa_family;
  char        sa_data[14];
};

struct sockaddr_storage
{
  sa_family_t ss_family;
  char        ss_pad1[SS_PAD1SIZE];
  uint32_t    ss_align;
  char        ss_pad2[SS_PAD2SIZE];
};

struct linger
{
  int l_onoff;
  int l_linger;
};

begin_packed_struct struct sockaddr_packed_s
{
  uint8_t  len;
  uint16_t family;
  uint32_t addr;
} end_packed_struct;

int socket(int domain, int type, int protocol);
int bind(int sockfd, FAR const struct sockaddr *addr, socklen_t addrlen);
int setsockopt(int sockfd, int level, int option, FAR const void *value,
               socklen_t value_len);
ssize_t recv(int sockfd, FAR void *buf, size_t len, int flags);

#endif /* __INCLUDE_SYS_SOCKET_H */
