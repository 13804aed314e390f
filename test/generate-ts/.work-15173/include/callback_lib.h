/* callback-lib: a small C library with the callback shapes real C APIs use, written as the
 * fixture for portabi's TypeScript generator (test/generate-ts). Every callback is fired from
 * a pthread of its own unless said otherwise. */
#ifndef CALLBACK_LIB_H
#define CALLBACK_LIB_H

#include <stddef.h>
#include <stdint.h>

#define CBL_VERSION_MAJOR 2
#define CBL_VERSION_MINOR (CBL_VERSION_MAJOR * 10 + 3)
/* Beyond 2^53: must come out as a bigint. */
#define CBL_MAGIC 0xCAFEF00DDEADBEEFULL
#define CBL_MAX_DELAY_MS 60000
#define CBL_NAME "callback-lib"

enum cbl_level { CBL_LEVEL_LOW = 1, CBL_LEVEL_HIGH = 5, CBL_LEVEL_MAX = CBL_LEVEL_HIGH * 2 };

struct cbl_point {
  int32_t x;
  int32_t y;
};

/* Bit-fields: koffi has none, the generator emits accessors over the storage unit. */
struct cbl_status_word {
  uint8_t kind;
  unsigned ready : 1;
  unsigned mode : 3;
  signed delta : 5;
  unsigned count : 12;
  uint16_t tail;
};

union cbl_value {
  int64_t i;
  double d;
  uint8_t bytes[8];
};

struct cbl_sample {
  struct cbl_point at;
  union cbl_value value;
  enum cbl_level level;
  char label[12];
  const char *note;
};

/* Opaque handle type. */
struct cbl_client;

struct cbl_client *cbl_client_open(const char *name);
void cbl_client_close(struct cbl_client *client);
int32_t cbl_point_dot(struct cbl_point a, struct cbl_point b);
int32_t cbl_status_count(const struct cbl_status_word *w);
int64_t cbl_add64(int64_t a, int64_t b);

/* 1. Timer: once. Fires cb(arg, value) after delay_ms. Returns a timer id > 0, or -EINVAL
 *    when delay_ms > CBL_MAX_DELAY_MS. */
typedef void (*cbl_timer_cb)(void *arg, uint32_t value);
int cbl_timer_start(uint32_t delay_ms, uint32_t value, cbl_timer_cb cb, void *arg);
int cbl_timer_cancel(int timer_id);

/* 2. Request/response: once; the result is in the handler's arguments. status < 0 is -errno.
 *    Returns a request id > 0, -ENOTCONN for a NULL client. */
typedef void (*cbl_response_handler)(void *context, int status, int32_t sum, int32_t product);
int cbl_request_send(struct cbl_client *client, int32_t a, int32_t b, cbl_response_handler handler, void *context);
int cbl_request_cancel(struct cbl_client *client, int request_id);

/* 3. Receive stream: fires count blocks, block i (0-based) carrying bytes i, i+1, ..., i+len-1
 *    with len = i % 4 + 1 and seq = i, every interval_ms; the last one has last_block = 1. */
typedef void (*cbl_recv_cb)(void *user, const uint8_t *data, size_t len, uint32_t seq, int last_block);
int cbl_recv_start(struct cbl_client *client, uint32_t count, uint32_t interval_ms, cbl_recv_cb cb, void *user);
int cbl_recv_stop(struct cbl_client *client, int recv_id);

/* 4. Cancellable operation started through a request struct. The done callback gets
 *    output = input * 3 after delay_ms. After cbl_op_cancel the callback is STILL called
 *    (late, with status -ECANCELED), as many C APIs do; the caller must drop it. */
typedef void (*cbl_op_done)(void *arg, int status, int64_t output);
struct cbl_op_request {
  uint32_t delay_ms;
  int64_t input;
  cbl_op_done done;
  void *arg;
};
int cbl_op_start(const struct cbl_op_request *req);
int cbl_op_cancel(int op_id);

/* 5. Connect: once, fails at start with -ETIMEDOUT for host "unreachable". cb(ctx, status, fd). */
typedef void (*cbl_connect_cb)(void *ctx, int status, int fd);
int cbl_connect(const char *host, cbl_connect_cb cb, void *ctx);

/* 6. Synchronous visitor: visit(ctx, i, i * i) for i in 0 .. n-1, on the calling thread. */
typedef int (*cbl_visit_cb)(void *ctx, int32_t index, int32_t square);
int cbl_foreach(int32_t n, cbl_visit_cb visit, void *ctx);

/* 7. Log handler: a set_cb(NULL) form. cbl_log_emit calls it on the calling thread. */
typedef void (*cbl_log_cb)(void *user, int level, const char *message);
void cbl_set_log_handler(cbl_log_cb cb, void *user);
void cbl_log_emit(int level, const char *message);

/* Test counters. */
int cbl_cancel_calls(void);     /* calls of every *_cancel / *_stop function */
int cbl_late_callbacks(void);   /* callbacks fired after a cancel (op only) */
int cbl_active_threads(void);   /* worker threads still running */

#endif
