/*
 * kafka-mock: a Kafka-protocol broker on loopback for tests and the local
 * stack, built on librdkafka's mock cluster (librdkafka 2.15.1, see build.sh).
 *
 * Usage:
 *   kafka-mock [--brokers N] [--topic NAME:PARTITIONS]... [--port P]
 *              [--control-port P] [--group-initial-rebalance-delay-ms MS]
 *              [--ignore-stdin]
 *
 * When ready it prints exactly one line on stdout:
 *   {"bootstrap":"127.0.0.1:PORT,...","control":"127.0.0.1:PORT"}
 * and then serves a line-based control channel on the control port:
 *   CREATE <topic> <partitions>  -> OK        (an existing topic is OK too)
 *   DOWN <brokerId> / UP <brokerId> -> OK     (-1 means every broker)
 *   PING                         -> PONG
 *   anything that fails          -> ERR <message>
 * It exits on SIGTERM/SIGINT, or when stdin reaches EOF so that a parent
 * that dies takes it down (--ignore-stdin turns that off for daemons).
 * Everything else (librdkafka logs, usage errors) goes to stderr.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rdkafka.h"
#include "rdkafka_mock.h"

/* Kafka protocol ApiKey of LeaveGroup (rdkafka_protocol.h is not public). */
#define API_KEY_LEAVE_GROUP 13

#define MAX_BROKERS 32
#define MAX_TOPICS 256
#define MAX_CLIENTS 64
#define LINE_MAX_LEN 1024

/*
 * Fixed broker ports. The mock API always binds its listeners to port 0
 * (rd_kafka_mock_broker_new() in rdkafka_mock.c); there is no port option in
 * rd_kafka_mock_cluster_new() nor a test.mock.* config for it, and
 * rd_kafka_mock_broker_set_host_port() changes only the advertised address.
 * So the build links with -Wl,--wrap=bind: while the cluster is being
 * created, a loopback bind to port 0 is redirected to the next fixed port.
 * A broker taken DOWN re-binds its remembered address, so the port survives.
 */
int __real_bind(int fd, const struct sockaddr *addr, socklen_t len);
static int pinned_port_next = 0; /* > 0 only inside cluster creation */

int __wrap_bind(int fd, const struct sockaddr *addr, socklen_t len) {
        if (pinned_port_next > 0 && addr && addr->sa_family == AF_INET &&
            len >= (socklen_t)sizeof(struct sockaddr_in)) {
                struct sockaddr_in sin;
                memcpy(&sin, addr, sizeof(sin));
                if (sin.sin_port == 0) {
                        sin.sin_port = htons((uint16_t)pinned_port_next++);
                        return __real_bind(fd, (struct sockaddr *)&sin,
                                           sizeof(sin));
                }
        }
        return __real_bind(fd, addr, len);
}

struct topic_arg {
        const char *name;
        int partitions;
};

struct client {
        int fd;
        size_t len;
        char buf[LINE_MAX_LEN];
};

static int signal_pipe[2] = {-1, -1};
static rd_kafka_mock_cluster_t *mcluster;
static int broker_cnt = 1;

static void die(const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        fputs("kafka-mock: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
        exit(2);
}

static void on_signal(int sig) {
        const char byte = (char)sig;
        /* Nothing useful to do if the pipe is full: a byte is already there. */
        ssize_t r = write(signal_pipe[1], &byte, 1);
        (void)r;
}

static int parse_int(const char *s, long min, long max, int *out) {
        char *end;
        long v;
        errno = 0;
        v     = strtol(s, &end, 10);
        if (errno || end == s || *end || v < min || v > max)
                return -1;
        *out = (int)v;
        return 0;
}

/* Kafka's own rule for topic names: [a-zA-Z0-9._-]{1,249}. */
static int valid_topic_name(const char *s) {
        size_t n = strlen(s);
        if (n == 0 || n > 249 || !strcmp(s, ".") || !strcmp(s, ".."))
                return 0;
        for (; *s; s++)
                if (!isalnum((unsigned char)*s) && *s != '.' && *s != '_' &&
                    *s != '-')
                        return 0;
        return 1;
}

/*
 * Every rd_kafka_mock_*() call is an op to the mock thread, which serves its
 * op queue and only then drains its wake-up pipe: an op enqueued in between
 * loses its wake-up and waits for the thread's 1 s poll timeout. Back-to-back
 * calls hit that window nearly every time, so give the thread a moment to go
 * back to poll() after each call.
 */
static void settle(void) {
        usleep(2000);
}

static int replication_factor(void) {
        return broker_cnt < 3 ? broker_cnt : 3;
}

/* Creating an existing topic succeeds: provisioning must be repeatable. */
static rd_kafka_resp_err_t ensure_topic(const char *name, int partitions) {
        rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(
            mcluster, name, partitions, replication_factor());
        settle();
        return err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS
                   ? RD_KAFKA_RESP_ERR_NO_ERROR
                   : err;
}

/* Checks up front that the fixed ports are free, for a clear error. */
static void check_ports_free(int first, int count) {
        int i;
        for (i = 0; i < count; i++) {
                struct sockaddr_in sin = {.sin_family = AF_INET};
                int on = 1, fd = socket(AF_INET, SOCK_STREAM, 0);
                sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
                sin.sin_port        = htons((uint16_t)(first + i));
                setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
                if (__real_bind(fd, (struct sockaddr *)&sin, sizeof(sin)) ==
                    -1)
                        die("cannot listen on 127.0.0.1:%d: %s", first + i,
                            strerror(errno));
                close(fd);
        }
}

static int listen_control(int port, int *bound_port) {
        struct sockaddr_in sin = {.sin_family = AF_INET};
        socklen_t sin_len      = sizeof(sin);
        int on = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd == -1)
                die("socket: %s", strerror(errno));
        sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        sin.sin_port        = htons((uint16_t)port);
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
        if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
                die("cannot listen on control port 127.0.0.1:%d: %s", port,
                    strerror(errno));
        if (listen(fd, 16) == -1)
                die("listen: %s", strerror(errno));
        if (getsockname(fd, (struct sockaddr *)&sin, &sin_len) == -1)
                die("getsockname: %s", strerror(errno));
        *bound_port = ntohs(sin.sin_port);
        return fd;
}

static void reply(int fd, const char *fmt, ...) {
        char out[LINE_MAX_LEN + 64];
        va_list ap;
        int n;
        va_start(ap, fmt);
        n = vsnprintf(out, sizeof(out) - 1, fmt, ap);
        va_end(ap);
        if (n < 0)
                return;
        if ((size_t)n > sizeof(out) - 2)
                n = (int)sizeof(out) - 2;
        out[n++] = '\n';
        /* A client that went away is dropped on its next read. */
        if (send(fd, out, (size_t)n, MSG_NOSIGNAL) < 0)
                return;
}

static void handle_command(int fd, char *line) {
        char *save = NULL;
        char *cmd  = strtok_r(line, " \t\r", &save);
        char *arg1 = cmd ? strtok_r(NULL, " \t\r", &save) : NULL;
        char *arg2 = arg1 ? strtok_r(NULL, " \t\r", &save) : NULL;
        char *rest = arg2 ? strtok_r(NULL, " \t\r", &save) : NULL;
        rd_kafka_resp_err_t err;
        int n;

        if (!cmd)
                return; /* blank line */

        if (!strcmp(cmd, "PING")) {
                reply(fd, arg1 ? "ERR usage: PING" : "PONG");

        } else if (!strcmp(cmd, "CREATE")) {
                if (!arg2 || rest)
                        reply(fd, "ERR usage: CREATE <topic> <partitions>");
                else if (!valid_topic_name(arg1))
                        reply(fd, "ERR invalid topic name");
                else if (parse_int(arg2, 1, 10000, &n))
                        reply(fd, "ERR partitions must be 1..10000");
                else if ((err = ensure_topic(arg1, n)))
                        reply(fd, "ERR %s", rd_kafka_err2str(err));
                else
                        reply(fd, "OK");

        } else if (!strcmp(cmd, "DOWN") || !strcmp(cmd, "UP")) {
                int down = !strcmp(cmd, "DOWN");
                if (!arg1 || arg2)
                        reply(fd, "ERR usage: %s <brokerId>", cmd);
                else if (parse_int(arg1, -1, broker_cnt, &n) || n == 0)
                        reply(fd, "ERR broker id must be 1..%d or -1",
                              broker_cnt);
                else {
                        err = down ? rd_kafka_mock_broker_set_down(mcluster, n)
                                   : rd_kafka_mock_broker_set_up(mcluster, n);
                        settle(); /* before replying: the next command may follow at once */
                        if (err)
                                reply(fd, "ERR %s", rd_kafka_err2str(err));
                        else
                                reply(fd, "OK");
                }

        } else {
                reply(fd, "ERR unknown command %s", cmd);
        }
}

/* Returns 0 to keep the client, -1 to drop it. */
static int serve_client(struct client *c) {
        ssize_t r = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);
        char *nl;

        if (r <= 0)
                return -1;
        c->len += (size_t)r;

        while ((nl = memchr(c->buf, '\n', c->len))) {
                size_t line_len = (size_t)(nl - c->buf);
                *nl             = '\0';
                handle_command(c->fd, c->buf);
                c->len -= line_len + 1;
                memmove(c->buf, nl + 1, c->len);
        }

        if (c->len == sizeof(c->buf)) {
                reply(c->fd, "ERR line too long");
                return -1;
        }
        return 0;
}

static void usage(void) {
        fprintf(stderr,
                "usage: kafka-mock [--brokers N] [--topic NAME:PARTITIONS]... "
                "[--port P] [--control-port P]\n"
                "                  [--group-initial-rebalance-delay-ms MS] "
                "[--ignore-stdin]\n");
        exit(2);
}

int main(int argc, char **argv) {
        struct topic_arg topics[MAX_TOPICS];
        int topic_cnt = 0, fixed_port = 0, control_port = 0;
        int initial_rebalance_delay_ms = 0, watch_stdin = 1;
        struct client clients[MAX_CLIENTS];
        int client_cnt = 0, control_fd, bound_control_port, i;
        char errstr[512];
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        struct sigaction sa;
        rd_kafka_resp_err_t err;

        for (i = 1; i < argc; i++) {
                const char *opt = argv[i];
                const char *val = i + 1 < argc ? argv[i + 1] : NULL;

                if (!strcmp(opt, "--ignore-stdin")) {
                        watch_stdin = 0;
                        continue;
                }
                if (!val)
                        usage();
                i++;
                if (!strcmp(opt, "--brokers")) {
                        if (parse_int(val, 1, MAX_BROKERS, &broker_cnt))
                                die("--brokers must be 1..%d", MAX_BROKERS);
                } else if (!strcmp(opt, "--port")) {
                        if (parse_int(val, 1, 65535, &fixed_port))
                                die("--port must be 1..65535");
                } else if (!strcmp(opt, "--control-port")) {
                        if (parse_int(val, 0, 65535, &control_port))
                                die("--control-port must be 0..65535");
                } else if (!strcmp(opt, "--group-initial-rebalance-delay-ms")) {
                        if (parse_int(val, 0, 300000,
                                      &initial_rebalance_delay_ms))
                                die("--group-initial-rebalance-delay-ms must "
                                    "be 0..300000");
                } else if (!strcmp(opt, "--topic")) {
                        char *colon = strrchr(argv[i], ':');
                        if (topic_cnt == MAX_TOPICS)
                                die("too many --topic arguments");
                        if (!colon)
                                die("--topic wants NAME:PARTITIONS, got %s",
                                    val);
                        *colon = '\0';
                        if (!valid_topic_name(argv[i]))
                                die("invalid topic name %s", argv[i]);
                        if (parse_int(colon + 1, 1, 10000,
                                      &topics[topic_cnt].partitions))
                                die("partitions of %s must be 1..10000",
                                    argv[i]);
                        topics[topic_cnt++].name = argv[i];
                } else {
                        usage();
                }
        }
        if (fixed_port && fixed_port + broker_cnt - 1 > 65535)
                die("--port %d leaves no room for %d brokers", fixed_port,
                    broker_cnt);

        if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) == -1)
                die("pipe: %s", strerror(errno));
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGINT, &sa, NULL);
        signal(SIGPIPE, SIG_IGN);

        /* The handle only hosts the mock cluster; it never connects anywhere. */
        conf = rd_kafka_conf_new();
        /* Warnings and worse only: the idle handle's notice that it has no
         * bootstrap.servers is noise. */
        if (rd_kafka_conf_set(conf, "client.id", "kafka-mock", errstr,
                              sizeof(errstr)) != RD_KAFKA_CONF_OK ||
            rd_kafka_conf_set(conf, "log_level", "4", errstr,
                              sizeof(errstr)) != RD_KAFKA_CONF_OK)
                die("%s", errstr);
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk)
                die("rd_kafka_new: %s", errstr);

        if (fixed_port) {
                check_ports_free(fixed_port, broker_cnt);
                pinned_port_next = fixed_port;
        }
        mcluster         = rd_kafka_mock_cluster_new(rk, broker_cnt);
        pinned_port_next = 0;
        if (!mcluster)
                die("could not create the mock cluster");

        /* The mock reports controller id 0 by default, which is no broker:
         * kafkajs admin calls and idempotent producers then fail with
         * "Broker 0 not found in the cached metadata". */
        rd_kafka_mock_set_controller_id(mcluster, 1);
        settle();

        /* LeaveGroup is advertised up to v4 but parsed only as v0-v2; a
         * kafkajs LeaveGroup v3+ goes unanswered and its rejoin stalls. */
        if ((err = rd_kafka_mock_set_apiversion(mcluster, API_KEY_LEAVE_GROUP,
                                                0, 1)))
                die("capping LeaveGroup: %s", rd_kafka_err2str(err));
        settle();

        /* The broker default (3 s) only slows every first join in tests. */
        rd_kafka_mock_group_initial_rebalance_delay_ms(
            mcluster, initial_rebalance_delay_ms);
        settle();

        /* The mock has no CreateTopics handler: topics are provisioned here
         * and over the control channel. */
        for (i = 0; i < topic_cnt; i++)
                if ((err = ensure_topic(topics[i].name, topics[i].partitions)))
                        die("creating topic %s: %s", topics[i].name,
                            rd_kafka_err2str(err));

        control_fd = listen_control(control_port, &bound_control_port);

        printf("{\"bootstrap\":\"%s\",\"control\":\"127.0.0.1:%d\"}\n",
               rd_kafka_mock_cluster_bootstraps(mcluster), bound_control_port);
        fflush(stdout);

        for (;;) {
                struct pollfd pfds[3 + MAX_CLIENTS];
                int nfds = 0, stdin_idx = -1, first_client;

                pfds[nfds++] = (struct pollfd) {.fd = signal_pipe[0],
                                                .events = POLLIN};
                pfds[nfds++] = (struct pollfd) {.fd = control_fd,
                                                .events = POLLIN};
                if (watch_stdin) {
                        stdin_idx    = nfds;
                        pfds[nfds++] = (struct pollfd) {.fd = STDIN_FILENO,
                                                        .events = POLLIN};
                }
                for (i = 0; i < client_cnt; i++)
                        pfds[nfds++] = (struct pollfd) {.fd = clients[i].fd,
                                                        .events = POLLIN};

                if (poll(pfds, (nfds_t)nfds, -1) == -1) {
                        if (errno == EINTR)
                                continue;
                        die("poll: %s", strerror(errno));
                }

                if (pfds[0].revents)
                        break;

                if (stdin_idx != -1 && pfds[stdin_idx].revents) {
                        char discard[256];
                        ssize_t r = read(STDIN_FILENO, discard, sizeof(discard));
                        if (r == 0 || (r < 0 && errno != EINTR &&
                                       errno != EAGAIN))
                                break; /* parent went away */
                }

                /* Serve clients before accepting, so indexes stay aligned;
                 * walking down keeps swap-removal from skipping anyone. */
                first_client = nfds - client_cnt;
                for (i = client_cnt - 1; i >= 0; i--) {
                        if (!pfds[first_client + i].revents)
                                continue;
                        if (serve_client(&clients[i]) == -1) {
                                close(clients[i].fd);
                                clients[i] = clients[--client_cnt];
                        }
                }

                if (pfds[1].revents & POLLIN) {
                        int fd = accept4(control_fd, NULL, NULL, SOCK_CLOEXEC);
                        if (fd == -1)
                                continue;
                        if (client_cnt == MAX_CLIENTS) {
                                reply(fd, "ERR too many control connections");
                                close(fd);
                                continue;
                        }
                        clients[client_cnt].fd    = fd;
                        clients[client_cnt++].len = 0;
                }
        }

        for (i = 0; i < client_cnt; i++)
                close(clients[i].fd);
        close(control_fd);
        rd_kafka_mock_cluster_destroy(mcluster);
        rd_kafka_destroy(rk);
        return 0;
}
