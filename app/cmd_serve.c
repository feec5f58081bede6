/*
 * cmd_serve.c: `clinsum serve [--port N] [--open] [--root DIR] [--allow-remote]`.
 *
 * Serves the browser app (a static directory: index.html, the JS, the WASM
 * module) with libmicrohttpd.  The server is deliberately dumb: the page does
 * all the work in the browser, so the server only hands out files, and never
 * sees a document.
 *
 *   - Binds 127.0.0.1 only; --allow-remote binds every interface and says so.
 *   - GET and HEAD only (405 otherwise); no directory listing ("/dir/" serves
 *     dir/index.html or 404); "..", hidden names and anything whose real path
 *     leaves the root (symlinks) are refused with 404.
 *   - Every response, errors included, carries the Content-Security-Policy of
 *     compliance/cs_policy.h, COOP same-origin + COEP require-corp (cross-origin
 *     isolation, for WASM threads), CORP same-origin, nosniff, no-referrer and
 *     Cache-Control: no-cache.
 *   - No access log: URLs are not written anywhere.
 *
 * The root, unless --root is given: $CLINSUM_WEB_ROOT, then beside the
 * executable: <exe dir>/web, <exe dir>/../share/clinsum/web (installed), and
 * in a build tree <exe dir>/../../wasm/web (build/native/app/clinsum ->
 * build/wasm/web, staged by `make wasm`).  The first directory holding an
 * index.html wins.  --port 0 picks a free port; the URL printed on stdout
 * ("clinsum: serving DIR at URL") names it.  Runs until SIGINT or SIGTERM.
 */
#include "commands.h"
#include "cs_policy.h"

#include <microhttpd.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define SERVE_DEFAULT_PORT 8765

typedef struct {
    char root[PATH_MAX]; /* real path, no trailing slash */
    size_t root_len;
} serve_ctx;

/* ------------------------------------------------------------ responses */

static const struct {
    const char *ext;
    const char *type;
} mime_types[] = {
    {"html", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"wasm", "application/wasm"},
    {"json", "application/json"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"ico", "image/x-icon"},
    {"txt", "text/plain; charset=utf-8"},
    {"md", "text/markdown; charset=utf-8"},
    {"xml", "application/xml"},
    {"map", "application/json"},
    {"webmanifest", "application/manifest+json"},
};

static const char *mime_type(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    if (dot)
        for (size_t i = 0; i < sizeof mime_types / sizeof *mime_types; i++)
            if (!strcasecmp(dot + 1, mime_types[i].ext)) return mime_types[i].type;
    return "application/octet-stream";
}

/* The headers every response carries, whatever its status. */
static void add_policy_headers(struct MHD_Response *r)
{
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_SECURITY_POLICY, CS_CONTENT_SECURITY_POLICY);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CROSS_ORIGIN_OPENER_POLICY, "same-origin");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CROSS_ORIGIN_EMBEDDER_POLICY, "require-corp");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CROSS_ORIGIN_RESOURCE_POLICY, "same-origin");
    MHD_add_response_header(r, MHD_HTTP_HEADER_X_CONTENT_TYPE_OPTIONS, "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *text)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    if (!r) return MHD_NO;
    add_policy_headers(r);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED) MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* ------------------------------------------------------------ paths */

/* Is the (already percent-decoded) URL path one we may map into the root?
 * Refuses "..", hidden names (".git", ".env"), backslashes and control
 * characters; "//" is tolerated. */
static int url_path_ok(const char *url)
{
    if (url[0] != '/') return 0;
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == '\\' || *p == 0x7f) return 0;
    for (const char *seg = url; seg; seg = strchr(seg + 1, '/'))
        if (seg[1] == '.') return 0; /* ".", "..", ".hidden" */
    return 1;
}

/* Resolve url under the root into out (a real path inside the root naming a
 * regular file), mapping directories to their index.html.  0 when absent or
 * refused. */
static int resolve(const serve_ctx *s, const char *url, char out[PATH_MAX])
{
    char joined[PATH_MAX];
    int n = snprintf(joined, sizeof joined, "%s%s", s->root, url);
    if (n < 0 || (size_t)n >= sizeof joined) return 0;
    char real[PATH_MAX];
    if (!realpath(joined, real)) return 0;
    if (strncmp(real, s->root, s->root_len) || (real[s->root_len] && real[s->root_len] != '/')) return 0;
    struct stat st;
    if (stat(real, &st)) return 0;
    if (S_ISDIR(st.st_mode)) {
        n = snprintf(joined, sizeof joined, "%s/index.html", real);
        if (n < 0 || (size_t)n >= sizeof joined || !realpath(joined, real)) return 0;
        if (strncmp(real, s->root, s->root_len) || real[s->root_len] != '/') return 0;
        if (stat(real, &st)) return 0;
    }
    if (!S_ISREG(st.st_mode)) return 0;
    memcpy(out, real, strlen(real) + 1);
    return 1;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **req_state)
{
    (void)version;
    (void)upload_data;
    const serve_ctx *s = cls;
    static int seen;
    int allowed = !strcmp(method, MHD_HTTP_METHOD_GET) || !strcmp(method, MHD_HTTP_METHOD_HEAD);
    if (!*req_state) { /* headers only so far */
        *req_state = &seen;
        /* Refuse other methods before reading any body they carry. */
        return allowed ? MHD_YES : send_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n");
    }
    if (*upload_size) { /* a body on a GET is read and ignored */
        *upload_size = 0;
        return MHD_YES;
    }
    char path[PATH_MAX];
    if (!url_path_ok(url) || !resolve(s, url, path)) return send_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st)) {
        if (fd >= 0) close(fd);
        return send_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
    }
    struct MHD_Response *r = MHD_create_response_from_fd64((uint64_t)st.st_size, fd); /* owns fd */
    if (!r) { close(fd); return MHD_NO; }
    add_policy_headers(r);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, mime_type(path));
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

/* ------------------------------------------------------------ root */

static int has_index(const char *dir)
{
    char p[PATH_MAX];
    int n = snprintf(p, sizeof p, "%s/index.html", dir);
    return n > 0 && (size_t)n < sizeof p && access(p, R_OK) == 0;
}

/* The default root (see the file comment); 0 and a message when none. */
static int find_root(char out[PATH_MAX])
{
    const char *env = getenv("CLINSUM_WEB_ROOT");
    if (env && *env) {
        if (has_index(env)) { snprintf(out, PATH_MAX, "%s", env); return 1; }
        fprintf(stderr, "clinsum serve: CLINSUM_WEB_ROOT=%s has no index.html\n", env);
        return 0;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) *slash = 0;
        static const char *const rel[] = {"/web", "/../share/clinsum/web", "/../../wasm/web"};
        for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
            char cand[PATH_MAX];
            int m = snprintf(cand, sizeof cand, "%s%s", exe, rel[i]);
            if (m > 0 && (size_t)m < sizeof cand && has_index(cand)) {
                memcpy(out, cand, (size_t)m + 1);
                return 1;
            }
        }
    }
    fprintf(stderr, "clinsum serve: the web app is not built (no index.html in $CLINSUM_WEB_ROOT, "
                    "<exe>/web, <exe>/../share/clinsum/web or build/wasm/web); run `make wasm` "
                    "or pass --root DIR\n");
    return 0;
}

/* ------------------------------------------------------------ command */

static void open_browser(const char *url)
{
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) { dup2(null, 1); dup2(null, 2); }
        execlp("xdg-open", "xdg-open", url, (char *)NULL);
        _exit(127);
    }
    if (pid < 0) fprintf(stderr, "clinsum serve: could not start a browser; open %s\n", url);
}

int cmd_serve(int argc, char **argv)
{
    long port = SERVE_DEFAULT_PORT;
    int open_it = 0, remote = 0;
    const char *root_arg = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--port") && i + 1 < argc) {
            char *end;
            port = strtol(argv[++i], &end, 10);
            if (*end || port < 0 || port > 65535) {
                fprintf(stderr, "clinsum serve: --port wants 0-65535\n");
                return 2;
            }
        } else if (!strcmp(argv[i], "--open")) open_it = 1;
        else if (!strcmp(argv[i], "--allow-remote")) remote = 1;
        else if (!strcmp(argv[i], "--root") && i + 1 < argc) root_arg = argv[++i];
        else {
            fprintf(stderr, "usage: clinsum serve [--port N] [--open] [--root DIR] [--allow-remote]\n");
            return 2;
        }
    }

    serve_ctx s;
    char root[PATH_MAX];
    if (root_arg) {
        if (!has_index(root_arg)) {
            fprintf(stderr, "clinsum: %s: no index.html in this directory\n", root_arg);
            return 1;
        }
        snprintf(root, sizeof root, "%s", root_arg);
    } else if (!find_root(root)) {
        return 1;
    }
    if (!realpath(root, s.root)) {
        fprintf(stderr, "clinsum: %s: %s\n", root, strerror(errno));
        return 1;
    }
    s.root_len = strlen(s.root);

    /* Threads MHD starts inherit this mask, so only sigwait() below sees the
     * signals; SIGPIPE from a closed browser tab must not kill the server. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(remote ? INADDR_ANY : INADDR_LOOPBACK);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG, (uint16_t)port, NULL, NULL, on_request, &s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, 2u,
        MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "clinsum serve: cannot listen on port %ld (in use?)\n", port);
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned bound = info ? info->port : (unsigned)port;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/", bound);
    if (remote)
        fprintf(stderr, "clinsum serve: --allow-remote: listening on ALL interfaces (port %u); "
                        "anyone who can reach this machine can load the app\n", bound);
    printf("clinsum: serving %s at %s\n", s.root, url);
    fflush(stdout);
    if (open_it) open_browser(url);

    int sig = 0;
    sigwait(&stop, &sig);
    MHD_stop_daemon(d);
    fprintf(stderr, "clinsum serve: stopped\n");
    return 0;
}
