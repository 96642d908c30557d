/* gen.c: seeded generator of a realistic Kubernetes manifest repository, the input of svclint's
 * benchmark.  The same seed and app count give byte-identical output on any machine: the only
 * source of variation is a splitmix64 generator seeded per app, and no floating point is used.
 *
 * Usage: gen [-s SEED] N OUTDIR
 *
 * Layout of OUTDIR:
 *   apps/<team>/<app>/...           Deployment + Service + ConfigMap (+ ServiceMonitor, + an external
 *                                   selectorless Service with hand-written Endpoints/EndpointSlices),
 *                                   as one multi-document file, a pair of files or one file per object,
 *                                   in .yaml, .yml or .json; sometimes a kustomization.yaml
 *   apps/<team>/namespaces.yaml     the team's Namespace objects
 *   platform/<namespace>/<name>/    external services outside team namespaces (etcd, shared databases)
 *   platform/monitoring/            Prometheus objects with their Services and ServiceMonitors
 *   .faults.tsv                     the faults injected on purpose (~2% of apps): directory, fault, object
 *
 * App i depends only on the seed, i and the names taken by apps before it, so the apps of a smaller
 * repository are the first apps of a larger one with the same seed.  stdout gets one line: apps, files, bytes (manifest
 * files only; .faults.tsv is not counted).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(r, list) ((list)[rng_below((r), ARRAY_SIZE(list))])
#define PATH_CAPACITY 1024

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("gen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void *xmalloc(size_t size)
{
	void *p = malloc(size);

	if (!p)
		die("out of memory");
	return p;
}

/* ---- splitmix64: tiny, fast, and the same everywhere ---- */

struct rng {
	uint64_t state;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A generator for one stream (an app, the platform files) that does not shift when another changes. */
static void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	r->state = seed ^ (stream * 0xd1342543de82ef95ULL);
	rng_next(r);
	r->state ^= rng_next(r);
}

/* Uniform enough for n far below 2^64; n must be > 0. */
static unsigned rng_below(struct rng *r, size_t n)
{
	return (unsigned)(rng_next(r) % n);
}

static unsigned rng_range(struct rng *r, unsigned low, unsigned high)
{
	return low + rng_below(r, high - low + 1);
}

static int rng_percent(struct rng *r, unsigned percent)
{
	return rng_below(r, 100) < percent;
}

/* Fills order with 0..n-1 in random order (Fisher-Yates), to draw without repetition. */
static void rng_shuffle(struct rng *r, unsigned *order, unsigned n)
{
	unsigned i, j, t;

	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n; i > 1; i--) {
		j = rng_below(r, i);
		t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
}

/* ---- arena: everything built for one app is released at once ---- */

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	char data[];
};

struct arena {
	struct arena_chunk *head;
};

static void *arena_alloc(struct arena *a, size_t size)
{
	struct arena_chunk *c = a->head;
	void *p;

	size = (size + 15) & ~(size_t)15;
	if (!c || c->used + size > c->size) {
		size_t capacity = size > 65536 ? size : 65536;

		c = xmalloc(sizeof(*c) + capacity);
		c->next = a->head;
		c->used = 0;
		c->size = capacity;
		a->head = c;
	}
	p = c->data + c->used;
	c->used += size;
	return p;
}

/* Keeps the newest chunk for the next app and frees the rest. */
static void arena_reset(struct arena *a)
{
	struct arena_chunk *c, *next;

	if (!a->head)
		return;
	for (c = a->head->next; c; c = next) {
		next = c->next;
		free(c);
	}
	a->head->next = NULL;
	a->head->used = 0;
}

static char *arena_vprintf(struct arena *a, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list copy;
	int n;
	char *p;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		die("bad format");
	p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

static char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

/* ---- growable text buffer: one output file at a time ---- */

struct buf {
	char *data;
	size_t len, cap;
};

static void buf_grow(struct buf *b, size_t more)
{
	if (b->len + more <= b->cap)
		return;
	while (b->len + more > b->cap)
		b->cap = b->cap ? b->cap * 2 : 65536;
	b->data = realloc(b->data, b->cap);
	if (!b->data)
		die("out of memory");
}

static void buf_add(struct buf *b, const char *s, size_t n)
{
	buf_grow(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
}

static void buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void buf_putc(struct buf *b, char c)
{
	buf_grow(b, 1);
	b->data[b->len++] = c;
}

static void buf_pad(struct buf *b, int n)
{
	if (n <= 0)
		return;
	buf_grow(b, (size_t)n);
	memset(b->data + b->len, ' ', (size_t)n);
	b->len += (size_t)n;
}

/* ---- document trees, emitted as YAML or JSON ---- */

enum node_kind {
	NODE_MAP,
	NODE_SEQ,
	NODE_STRING,	/* a string: quoted in YAML when it would not read back as one */
	NODE_PLAIN,	/* a number or boolean: never quoted */
	NODE_COMMENT,	/* YAML only; JSON drops it */
};

struct node {
	enum node_kind kind;
	unsigned flow : 1;	/* YAML: {a: b} or [a, b] on one line */
	unsigned quoted : 1;	/* YAML: quote even if plain would do, as people often do */
	const char *key;	/* set when the parent is a map */
	const char *text;	/* scalars and comments */
	struct node *first, *last, *next;
};

/* How one file is written; chosen per file so the repository mixes habits. */
struct style {
	int sequence_indent;	/* 0: "- " under the key, kubectl style; 2: indented */
	char quote;		/* '"' or '\'' */
	int json_indent;	/* 2 or 4 */
};

struct gen;
static struct arena *gen_arena(struct gen *g);

static struct node *node_add(struct gen *g, struct node *parent, const char *key, enum node_kind kind)
{
	struct node *n = arena_alloc(gen_arena(g), sizeof(*n));

	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->key = key;
	if (parent) {
		if (parent->last)
			parent->last->next = n;
		else
			parent->first = n;
		parent->last = n;
	}
	return n;
}

static struct node *map_new(struct gen *g)
{
	return node_add(g, NULL, NULL, NODE_MAP);
}

static struct node *map_map(struct gen *g, struct node *map, const char *key)
{
	return node_add(g, map, key, NODE_MAP);
}

static struct node *map_seq(struct gen *g, struct node *map, const char *key)
{
	return node_add(g, map, key, NODE_SEQ);
}

/* s must outlive the app: a literal or an arena string. */
static struct node *map_str(struct gen *g, struct node *map, const char *key, const char *s)
{
	struct node *n = node_add(g, map, key, NODE_STRING);

	n->text = s;
	return n;
}

static struct node *map_fmt(struct gen *g, struct node *map, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static struct node *map_fmt(struct gen *g, struct node *map, const char *key, const char *fmt, ...)
{
	struct node *n = node_add(g, map, key, NODE_STRING);
	va_list ap;

	va_start(ap, fmt);
	n->text = arena_vprintf(gen_arena(g), fmt, ap);
	va_end(ap);
	return n;
}

static struct node *map_int(struct gen *g, struct node *map, const char *key, long long value)
{
	struct node *n = node_add(g, map, key, NODE_PLAIN);

	n->text = arena_printf(gen_arena(g), "%lld", value);
	return n;
}

static struct node *map_bool(struct gen *g, struct node *map, const char *key, int value)
{
	struct node *n = node_add(g, map, key, NODE_PLAIN);

	n->text = value ? "true" : "false";
	return n;
}

static void map_comment(struct gen *g, struct node *map, const char *text)
{
	node_add(g, map, NULL, NODE_COMMENT)->text = text;
}

static struct node *seq_map(struct gen *g, struct node *seq)
{
	return node_add(g, seq, NULL, NODE_MAP);
}

static struct node *seq_str(struct gen *g, struct node *seq, const char *s)
{
	struct node *n = node_add(g, seq, NULL, NODE_STRING);

	n->text = s;
	return n;
}

/* True when a plain YAML scalar with this text would not read back as the same string. */
static int needs_quotes(const char *s)
{
	static const char *const reserved[] = {
		"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
	};
	const char *p;
	char *end;
	size_t i;

	if (!*s || strchr("-?:,[]{}#&*!|>'\"%@` \t", *s))
		return 1;
	for (p = s; *p; p++) {
		if ((unsigned char)*p < 0x20 || strchr(",[]{}", *p))
			return 1;
		if ((*p == ':' || *p == ' ') && (p[1] == ' ' || p[1] == '#' || !p[1]))
			return 1;
	}
	for (i = 0; i < ARRAY_SIZE(reserved); i++)
		if (!strcasecmp(s, reserved[i]))
			return 1;
	strtod(s, &end);
	if (!*end)
		return 1;
	/* YAML 1.1 timestamps: 2024-01-31 */
	if (strlen(s) >= 10 && s[4] == '-' && s[7] == '-' && s[0] >= '0' && s[0] <= '9')
		return 1;
	return 0;
}

static void yaml_quoted(struct buf *b, const char *s, char quote)
{
	buf_putc(b, quote);
	for (; *s; s++) {
		if (quote == '\'' && *s == '\'')
			buf_puts(b, "''");
		else if (quote == '"' && (*s == '"' || *s == '\\')) {
			buf_putc(b, '\\');
			buf_putc(b, *s);
		} else
			buf_putc(b, *s);
	}
	buf_putc(b, quote);
}

static void yaml_scalar(struct buf *b, const struct node *n, const struct style *st)
{
	if (n->kind == NODE_STRING && (n->quoted || needs_quotes(n->text)))
		yaml_quoted(b, n->text, st->quote);
	else
		buf_puts(b, n->text);
}

static void yaml_flow(struct buf *b, const struct node *n, const struct style *st)
{
	const struct node *c;

	buf_putc(b, n->kind == NODE_MAP ? '{' : '[');
	for (c = n->first; c; c = c->next) {
		if (c->kind == NODE_COMMENT)
			continue;
		if (c->key) {
			buf_puts(b, c->key);
			buf_puts(b, ": ");
		}
		yaml_scalar(b, c, st);
		if (c->next)
			buf_puts(b, ", ");
	}
	buf_putc(b, n->kind == NODE_MAP ? '}' : ']');
}

static void yaml_map(struct buf *b, const struct node *map, int indent, int first_inline, const struct style *st);
static void yaml_seq(struct buf *b, const struct node *seq, int indent, const struct style *st);

/* The value after "key:" or "-", which are already written; indent is that of the key or dash. */
static void yaml_value(struct buf *b, const struct node *n, int indent, const struct style *st)
{
	const char *line, *end;

	switch (n->kind) {
	case NODE_MAP:
	case NODE_SEQ:
		if (!n->first) {
			buf_puts(b, n->kind == NODE_MAP ? " {}\n" : " []\n");
		} else if (n->flow) {
			buf_putc(b, ' ');
			yaml_flow(b, n, st);
			buf_putc(b, '\n');
		} else if (n->kind == NODE_MAP) {
			buf_putc(b, '\n');
			yaml_map(b, n, indent + 2, 0, st);
		} else {
			buf_putc(b, '\n');
			yaml_seq(b, n, indent + st->sequence_indent, st);
		}
		break;
	case NODE_STRING:
		if (strchr(n->text, '\n')) {
			/* literal block: the text's lines never start with a space */
			line = n->text;
			buf_puts(b, line[strlen(line) - 1] == '\n' ? " |\n" : " |-\n");
			while (*line) {
				end = strchr(line, '\n');
				if (!end)
					end = line + strlen(line);
				if (end > line)
					buf_pad(b, indent + 2);
				buf_add(b, line, (size_t)(end - line));
				buf_putc(b, '\n');
				line = *end ? end + 1 : end;
			}
			break;
		}
		/* fall through */
	case NODE_PLAIN:
		buf_putc(b, ' ');
		yaml_scalar(b, n, st);
		buf_putc(b, '\n');
		break;
	case NODE_COMMENT:
		break;
	}
}

static void yaml_map(struct buf *b, const struct node *map, int indent, int first_inline, const struct style *st)
{
	const struct node *c;

	for (c = map->first; c; c = c->next) {
		if (!(first_inline && c == map->first))
			buf_pad(b, indent);
		if (c->kind == NODE_COMMENT) {
			buf_puts(b, "# ");
			buf_puts(b, c->text);
			buf_putc(b, '\n');
			continue;
		}
		if (needs_quotes(c->key))
			yaml_quoted(b, c->key, st->quote);
		else
			buf_puts(b, c->key);
		buf_putc(b, ':');
		yaml_value(b, c, indent, st);
	}
}

static void yaml_seq(struct buf *b, const struct node *seq, int indent, const struct style *st)
{
	const struct node *c;

	for (c = seq->first; c; c = c->next) {
		buf_pad(b, indent);
		if (c->kind == NODE_MAP && c->first && !c->flow && c->first->kind != NODE_COMMENT) {
			buf_puts(b, "- ");
			yaml_map(b, c, indent + 2, 1, st);
		} else {
			buf_putc(b, '-');
			yaml_value(b, c, indent, st);
		}
	}
}

static void json_string(struct buf *b, const char *s)
{
	char escape[8];

	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, *s);
		} else if (*s == '\n') {
			buf_puts(b, "\\n");
		} else if ((unsigned char)*s < 0x20) {
			snprintf(escape, sizeof(escape), "\\u%04x", (unsigned)(unsigned char)*s);
			buf_puts(b, escape);
		} else {
			buf_putc(b, *s);
		}
	}
	buf_putc(b, '"');
}

static const struct node *json_next(const struct node *n)
{
	while (n && n->kind == NODE_COMMENT)
		n = n->next;
	return n;
}

static void json_value(struct buf *b, const struct node *n, int indent, const struct style *st)
{
	const struct node *c;

	switch (n->kind) {
	case NODE_MAP:
	case NODE_SEQ:
		c = json_next(n->first);
		if (!c) {
			buf_puts(b, n->kind == NODE_MAP ? "{}" : "[]");
			break;
		}
		buf_puts(b, n->kind == NODE_MAP ? "{\n" : "[\n");
		for (; c; c = json_next(c->next)) {
			buf_pad(b, indent + st->json_indent);
			if (n->kind == NODE_MAP) {
				json_string(b, c->key);
				buf_puts(b, ": ");
			}
			json_value(b, c, indent + st->json_indent, st);
			buf_puts(b, json_next(c->next) ? ",\n" : "\n");
		}
		buf_pad(b, indent);
		buf_putc(b, n->kind == NODE_MAP ? '}' : ']');
		break;
	case NODE_STRING:
		json_string(b, n->text);
		break;
	case NODE_PLAIN:
		buf_puts(b, n->text);
		break;
	case NODE_COMMENT:
		break;
	}
}

/* ---- the set of names taken, per namespace ---- */

struct name_set {
	char **slots;
	size_t count, capacity;
};

static uint64_t hash_string(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

static int name_set_has(const struct name_set *set, const char *key)
{
	size_t i, mask = set->capacity - 1;

	if (!set->capacity)
		return 0;
	for (i = hash_string(key) & mask; set->slots[i]; i = (i + 1) & mask)
		if (!strcmp(set->slots[i], key))
			return 1;
	return 0;
}

/* Adds key; returns 0 if it was new, -1 if it was already there. */
static int name_set_add(struct name_set *set, const char *key)
{
	size_t i, mask;

	if (2 * (set->count + 1) > set->capacity) {
		size_t capacity = set->capacity ? set->capacity * 2 : 4096, j;
		char **slots = calloc(capacity, sizeof(char *));

		if (!slots)
			die("out of memory");
		/* the keys move over as they are: only the table is new */
		for (j = 0; j < set->capacity; j++) {
			if (!set->slots[j])
				continue;
			for (i = hash_string(set->slots[j]) & (capacity - 1); slots[i]; i = (i + 1) & (capacity - 1))
				;
			slots[i] = set->slots[j];
		}
		free(set->slots);
		set->slots = slots;
		set->capacity = capacity;
	}
	mask = set->capacity - 1;
	for (i = hash_string(key) & mask; set->slots[i]; i = (i + 1) & mask)
		if (!strcmp(set->slots[i], key))
			return -1;
	set->slots[i] = strdup(key);
	if (!set->slots[i])
		die("out of memory");
	set->count++;
	return 0;
}

static void name_set_release(struct name_set *set)
{
	size_t i;

	for (i = 0; i < set->capacity; i++)
		free(set->slots[i]);
	free(set->slots);
	memset(set, 0, sizeof(*set));
}

/* ---- the repository model ---- */

static const char *const teams[] = {
	"payments", "checkout", "search", "identity", "catalog", "inventory", "shipping", "billing",
	"growth", "ads", "messaging", "media", "analytics", "risk", "support", "notifications",
	"pricing", "recommendations", "logistics", "accounts", "reporting", "data-platform", "mobile",
	"partners",
};

static const char *const domains[] = {
	"ledger", "cart", "order", "invoice", "user", "session", "token", "profile", "feed", "image",
	"video", "price", "quote", "tax", "fraud", "email", "sms", "push", "report", "export", "import",
	"sync", "index", "query", "cache", "edge", "auth", "audit", "review", "rating", "coupon", "wallet",
	"refund", "stock", "warehouse", "route", "tracking", "label", "chat", "thumbnail", "transcode",
	"event", "metric", "ranking", "banner", "campaign", "consent", "document", "ticket", "catalog",
};

static const char *const roles[] = {
	"api", "worker", "web", "grpc", "consumer", "scheduler", "proxy", "service", "backend",
	"indexer", "cron", "frontend", "admin", "gateway",
};

/* Things that live outside the cluster and are reached through a selectorless Service. */
struct external_kind {
	const char *name;
	size_t ports;
	const char *port_names[2];
	unsigned port_numbers[2];
	const char *protocols[2];
};

static const struct external_kind external_kinds[] = {
	{ "postgres", 1, { "postgres" }, { 5432 }, { "TCP" } },
	{ "postgres", 1, { "postgresql" }, { 5432 }, { "TCP" } },
	{ "mysql", 1, { "mysql" }, { 3306 }, { "TCP" } },
	{ "redis", 1, { "redis" }, { 6379 }, { "TCP" } },
	{ "etcd", 2, { "client", "peer" }, { 2379, 2380 }, { "TCP", "TCP" } },
	{ "kafka", 2, { "kafka", "kafka-tls" }, { 9092, 9093 }, { "TCP", "TCP" } },
	{ "elasticsearch", 2, { "http", "transport" }, { 9200, 9300 }, { "TCP", "TCP" } },
	{ "mongodb", 1, { "mongodb" }, { 27017 }, { "TCP" } },
	{ "memcached", 1, { "memcache" }, { 11211 }, { "TCP" } },
	{ "dns", 2, { "dns", "dns-tcp" }, { 53, 53 }, { "UDP", "TCP" } },
	{ "ntp", 1, { "ntp" }, { 123 }, { "UDP" } },
	{ "ldap", 2, { "ldap", "ldaps" }, { 389, 636 }, { "TCP", "TCP" } },
	{ "smtp", 1, { "smtp" }, { 25 }, { "TCP" } },
	{ "rabbitmq", 2, { "amqp", "management" }, { 5672, 15672 }, { "TCP", "TCP" } },
	{ "vault", 1, { "https" }, { 8200 }, { "TCP" } },
};

/* Namespaces outside the teams' own, for shared external services; kube-system stays last, as it is
 * never declared in platform/namespaces.yaml. */
static const char *const shared_namespaces[] = {
	"databases", "infra", "shared-services", "kube-system",
};

enum fault {
	FAULT_NONE,
	FAULT_PORT_NAME,		/* Endpoints port name off by one letter */
	FAULT_NAMESPACE,		/* Endpoints in another namespace than their Service */
	FAULT_PLACEHOLDER_IP,		/* ip: YOUR_DB_IP */
	FAULT_PROTOCOL,			/* Endpoints UDP where the Service says TCP, or the reverse */
	FAULT_SELECTOR_WITH_ENDPOINTS,	/* a selector on a Service that has hand-written Endpoints */
	FAULT_MONITOR_PORT,		/* a ServiceMonitor port that the Service does not have */
	FAULT_COUNT,
};

static const char *const fault_names[FAULT_COUNT] = {
	"none", "endpoints-port-name", "endpoints-namespace", "endpoints-placeholder-ip",
	"endpoints-protocol", "selector-with-endpoints", "servicemonitor-port",
};

enum layout {
	LAYOUT_ONE,	/* every object of the app in one multi-document file */
	LAYOUT_PAIR,	/* workload file and service file */
	LAYOUT_SPLIT,	/* one file per object */
};

struct external {
	const struct external_kind *kind;
	const char *name, *namespace;
	int use_slices;		/* EndpointSlices rather than Endpoints */
	int external_name;	/* type: ExternalName, no Endpoints at all */
	int headless;
	int unnamed_port;	/* single port without a name, on both sides */
};

struct app {
	unsigned index, team_index;
	const char *team, *namespace, *name, *domain, *role;
	const char *label_key;	/* app.kubernetes.io/name or app */
	const char *dir, *ext;
	enum layout layout;
	int naming;		/* file naming habit */
	int json;
	int has_workload;	/* Deployment + Service + ConfigMap */
	int has_external;
	int monitored;
	int external_monitored;	/* the external Service itself has a ServiceMonitor */
	const char *metrics_port;	/* Service port name the ServiceMonitor scrapes */
	int grpc;
	struct external external;
	enum fault fault;
};

struct gen {
	uint64_t seed;
	const char *outdir;
	struct arena arena;
	struct buf out;
	struct name_set names;	/* namespace/name of every Service, and directories */
	unsigned team_namespaces[ARRAY_SIZE(teams)];	/* bit per namespace variant used */
	unsigned shared_used;	/* bit per shared namespace used */
	FILE *faults;
	unsigned long long files, bytes, fault_count;
};

static struct arena *gen_arena(struct gen *g)
{
	return &g->arena;
}

static const char *const namespace_suffixes[] = { "", "-staging", "-batch" };

/* mkdir -p */
static void make_dirs(const char *path)
{
	char buf[PATH_CAPACITY];
	size_t i, n = strlen(path);

	if (n >= sizeof(buf))
		die("path too long: %s", path);
	memcpy(buf, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0777) && errno != EEXIST)
			die("cannot create '%s': %s", buf, strerror(errno));
		buf[i] = i < n ? '/' : '\0';
	}
}

static void style_pick(struct rng *r, struct style *st)
{
	st->sequence_indent = rng_percent(r, 35) ? 2 : 0;
	st->quote = rng_percent(r, 85) ? '"' : '\'';
	st->json_indent = rng_percent(r, 75) ? 2 : 4;
}

/* Writes the documents to OUTDIR/dir/name: YAML separated by "---", or one JSON object. */
static void write_file(struct gen *g, struct rng *r, const char *dir, const char *name,
		       struct node *const *docs, size_t count)
{
	char path[PATH_CAPACITY];
	struct style st;
	size_t len, i;
	int json;
	FILE *f;

	len = strlen(name);
	json = len > 5 && !strcmp(name + len - 5, ".json");
	if (json && count != 1)
		die("internal error: %zu documents in JSON file %s", count, name);
	style_pick(r, &st);
	g->out.len = 0;
	if (json) {
		json_value(&g->out, docs[0], 0, &st);
		buf_putc(&g->out, '\n');
	} else {
		if (rng_percent(r, 6))
			buf_puts(&g->out, "# Code generated by kustomize build; edit the base, not this file.\n");
		for (i = 0; i < count; i++) {
			if (i > 0 || rng_percent(r, 15))
				buf_puts(&g->out, "---\n");
			yaml_map(&g->out, docs[i], 0, 0, &st);
		}
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", g->outdir, dir) >= sizeof(path))
		die("path too long: %s", dir);
	make_dirs(path);
	if ((size_t)snprintf(path, sizeof(path), "%s/%s/%s", g->outdir, dir, name) >= sizeof(path))
		die("path too long: %s", name);
	f = fopen(path, "wb");
	if (!f)
		die("cannot create '%s': %s", path, strerror(errno));
	if (fwrite(g->out.data, 1, g->out.len, f) != g->out.len || fclose(f))
		die("cannot write '%s': %s", path, strerror(errno));
	g->files++;
	g->bytes += g->out.len;
}

static void hex(struct rng *r, char *out, size_t digits)
{
	static const char alphabet[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < digits; i++)
		out[i] = alphabet[rng_below(r, 16)];
	out[digits] = '\0';
}

static struct node *object_new(struct gen *g, const char *api_version, const char *kind, const char *name,
			       const char *namespace, struct node **meta)
{
	struct node *o = map_new(g);

	map_str(g, o, "apiVersion", api_version);
	map_str(g, o, "kind", kind);
	*meta = map_map(g, o, "metadata");
	map_str(g, *meta, "name", name);
	if (namespace)
		map_str(g, *meta, "namespace", namespace);
	return o;
}

static void app_labels(struct gen *g, struct rng *r, struct node *meta, const struct app *a)
{
	struct node *labels = map_map(g, meta, "labels");

	map_str(g, labels, a->label_key, a->name);
	if (rng_percent(r, 50))
		map_str(g, labels, "app.kubernetes.io/part-of", a->team);
	if (rng_percent(r, 15))
		map_str(g, labels, "app.kubernetes.io/managed-by", rng_percent(r, 50) ? "kustomize" : "argocd");
	if (rng_percent(r, 15))
		map_str(g, labels, "team", a->team);
}

/* The order in which C evaluates a call's arguments is unspecified, so every draw that feeds a call
 * is made in a statement of its own: otherwise two compilers could write different repositories. */
static const char *version_string(struct gen *g, struct rng *r)
{
	unsigned major = rng_range(r, 0, 4), minor = rng_range(r, 0, 30), patch = rng_range(r, 0, 12);

	return arena_printf(&g->arena, "%u.%u.%u", major, minor, patch);
}

static const char *external_host(struct gen *g, const struct app *a)
{
	return arena_printf(&g->arena, "%s.%s.svc.cluster.local", a->external.name, a->external.namespace);
}

static void add_env(struct gen *g, struct rng *r, struct node *env, const struct app *a)
{
	static const char *const levels[] = { "info", "debug", "warn" };
	struct node *e, *from, *ref;
	unsigned order[8], count = rng_range(r, 0, 3), i, low, high;

	e = seq_map(g, env);
	map_str(g, e, "name", "LOG_LEVEL");
	map_str(g, e, "value", PICK(r, levels));
	if (a->has_external) {
		e = seq_map(g, env);
		map_fmt(g, e, "name", "%s_HOST", a->external.kind->name[0] == 'p' ? "DATABASE" : "UPSTREAM");
		map_str(g, e, "value", external_host(g, a));
	}
	rng_shuffle(r, order, 8);
	for (i = 0; i < count; i++) {
		e = seq_map(g, env);
		switch (order[i]) {
		case 0:
			map_str(g, e, "name", "POD_NAME");
			from = map_map(g, e, "valueFrom");
			ref = map_map(g, from, "fieldRef");
			map_str(g, ref, "fieldPath", "metadata.name");
			break;
		case 1:
			map_str(g, e, "name", "GOMAXPROCS");
			from = map_map(g, e, "valueFrom");
			ref = map_map(g, from, "resourceFieldRef");
			map_str(g, ref, "resource", "limits.cpu");
			break;
		case 2:
			map_str(g, e, "name", "DB_PASSWORD");
			from = map_map(g, e, "valueFrom");
			ref = map_map(g, from, "secretKeyRef");
			map_fmt(g, ref, "name", "%s-db", a->name);
			map_str(g, ref, "key", "password");
			break;
		case 3:
			map_str(g, e, "name", "JAVA_OPTS");
			low = 128u << rng_below(r, 3);
			high = 256u << rng_below(r, 4);
			map_fmt(g, e, "value", "-Xms%um -Xmx%um -XX:+UseG1GC", low, high);
			break;
		case 4:
			map_str(g, e, "name", "PORT");
			map_str(g, e, "value", "8080");
			break;
		case 5:
			map_fmt(g, e, "name", "FEATURE_%s", rng_percent(r, 50) ? "NEW_CHECKOUT" : "FAST_PATH");
			map_str(g, e, "value", rng_percent(r, 50) ? "true" : "false");
			break;
		case 6:
			map_str(g, e, "name", "OTEL_EXPORTER_OTLP_ENDPOINT");
			map_str(g, e, "value", "http://otel-collector.observability:4317");
			break;
		default:
			map_str(g, e, "name", "CACHE_TTL");
			map_fmt(g, e, "value", "%us", 30u * rng_range(r, 1, 10));
			break;
		}
	}
}

static void add_probe(struct gen *g, struct rng *r, struct node *container, const char *key, const struct app *a)
{
	static const char *const paths[] = { "/healthz", "/readyz", "/health", "/health/ready", "/livez" };
	struct node *p = map_map(g, container, key), *action;

	if (a->grpc && rng_percent(r, 50)) {
		action = map_map(g, p, "grpc");
		map_int(g, action, "port", 9000);
	} else if (rng_percent(r, 90)) {
		action = map_map(g, p, "httpGet");
		map_str(g, action, "path", PICK(r, paths));
		if (rng_percent(r, 60))
			map_str(g, action, "port", "http");
		else
			map_int(g, action, "port", 8080);
	} else {
		action = map_map(g, p, "tcpSocket");
		map_int(g, action, "port", 8080);
	}
	if (rng_percent(r, 40))
		map_int(g, p, "initialDelaySeconds", rng_range(r, 1, 6) * 5);
	map_int(g, p, "periodSeconds", rng_range(r, 1, 3) * 10);
	if (rng_percent(r, 40))
		map_int(g, p, "failureThreshold", rng_range(r, 3, 6));
}

static void add_resources(struct gen *g, struct rng *r, struct node *container)
{
	struct node *res = map_map(g, container, "resources"), *req, *lim;
	int flow = rng_percent(r, 25);

	req = map_map(g, res, "requests");
	req->flow = flow;
	map_fmt(g, req, "cpu", "%um", 50u * rng_range(r, 1, 10));
	map_fmt(g, req, "memory", "%uMi", 64u * rng_range(r, 1, 16));
	if (rng_percent(r, 35)) {
		lim = map_map(g, res, "limits");
		lim->flow = flow;
		if (rng_percent(r, 50))
			map_fmt(g, lim, "cpu", "%u", rng_range(r, 1, 4));
		map_fmt(g, lim, "memory", "%uMi", 256u * rng_range(r, 1, 8));
	}
}

static struct node *make_container(struct gen *g, struct rng *r, struct node *containers, const struct app *a,
				   const char *version, int mount_config)
{
	struct node *c = seq_map(g, containers), *ports, *p, *args, *mounts, *m, *sc, *caps;
	char digest[65];

	map_str(g, c, "name", rng_percent(r, 60) ? a->name : a->role);
	if (rng_percent(r, 5)) {
		hex(r, digest, 64);
		map_fmt(g, c, "image", "ghcr.io/acme/%s@sha256:%s", a->name, digest);
	} else {
		map_fmt(g, c, "image", "registry.acme.io/%s/%s:%s", a->team, a->name, version);
	}
	if (rng_percent(r, 25))
		map_str(g, c, "imagePullPolicy", "IfNotPresent");
	if (rng_percent(r, 12)) {
		args = map_seq(g, c, "args");
		args->flow = rng_percent(r, 40);
		seq_str(g, args, "--port=8080");
		seq_str(g, args, "--log-format=json");
		if (rng_percent(r, 50))
			seq_str(g, args, arena_printf(&g->arena, "--config=/etc/%s/config.yaml", a->name));
	}
	ports = map_seq(g, c, "ports");
	p = seq_map(g, ports);
	map_str(g, p, "name", "http");
	map_int(g, p, "containerPort", 8080);
	if (rng_percent(r, 15))
		map_str(g, p, "protocol", "TCP");
	if (a->grpc) {
		p = seq_map(g, ports);
		map_str(g, p, "name", "grpc");
		map_int(g, p, "containerPort", 9000);
	}
	if (a->metrics_port) {
		p = seq_map(g, ports);
		map_str(g, p, "name", "metrics");
		map_int(g, p, "containerPort", 9090);
	}
	if (rng_percent(r, 35))
		add_env(g, r, map_seq(g, c, "env"), a);
	if (rng_percent(r, 30)) {
		p = seq_map(g, map_seq(g, c, "envFrom"));
		map_fmt(g, map_map(g, p, "configMapRef"), "name", "%s-config", a->name);
	}
	if (rng_percent(r, 55))
		add_resources(g, r, c);
	if (rng_percent(r, 40))
		add_probe(g, r, c, "readinessProbe", a);
	if (rng_percent(r, 25))
		add_probe(g, r, c, "livenessProbe", a);
	if (rng_percent(r, 5))
		add_probe(g, r, c, "startupProbe", a);
	if (mount_config) {
		mounts = map_seq(g, c, "volumeMounts");
		m = seq_map(g, mounts);
		map_str(g, m, "name", "config");
		map_fmt(g, m, "mountPath", "/etc/%s", a->name);
		map_bool(g, m, "readOnly", 1);
	}
	if (rng_percent(r, 15)) {
		sc = map_map(g, c, "securityContext");
		map_bool(g, sc, "allowPrivilegeEscalation", 0);
		map_bool(g, sc, "readOnlyRootFilesystem", 1);
		caps = map_map(g, sc, "capabilities");
		caps = map_seq(g, caps, "drop");
		caps->flow = 1;
		seq_str(g, caps, "ALL");
	}
	return c;
}

static struct node *make_sidecar(struct gen *g, struct rng *r, struct node *containers)
{
	struct node *c = seq_map(g, containers), *res, *req, *args;

	if (rng_percent(r, 50)) {
		map_str(g, c, "name", "log-shipper");
		map_str(g, c, "image", "fluent/fluent-bit:2.2.0");
	} else {
		map_str(g, c, "name", "cloud-sql-proxy");
		map_str(g, c, "image", "gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.8.1");
		args = map_seq(g, c, "args");
		seq_str(g, args, "--structured-logs");
		seq_str(g, args, "acme-prod:europe-west1:main");
	}
	res = map_map(g, c, "resources");
	req = map_map(g, res, "requests");
	req->flow = 1;
	map_str(g, req, "cpu", "10m");
	map_str(g, req, "memory", "32Mi");
	return c;
}

static struct node *make_deployment(struct gen *g, struct rng *r, const struct app *a)
{
	static const char *const zones[] = { "topology.kubernetes.io/zone", "kubernetes.io/hostname" };
	struct node *meta, *d, *spec, *sel, *tmpl, *tmeta, *labels, *ann, *pod, *containers, *x, *y;
	const char *version = version_string(g, r);
	int mount = rng_percent(r, 20);
	char checksum[65];

	d = object_new(g, "apps/v1", "Deployment", a->name, a->namespace, &meta);
	app_labels(g, r, meta, a);
	if (rng_percent(r, 12)) {
		ann = map_map(g, meta, "annotations");
		map_fmt(g, ann, "deployment.kubernetes.io/revision", "%u", rng_range(r, 1, 40));
		if (rng_percent(r, 40))
			map_fmt(g, ann, "kubernetes.io/change-cause", "deploy %s by ci", version);
		if (rng_percent(r, 30))
			map_str(g, ann, "reloader.stakater.com/auto", "true");
	}
	spec = map_map(g, d, "spec");
	if (rng_percent(r, 90))
		map_int(g, spec, "replicas", rng_range(r, 1, 6));
	if (rng_percent(r, 15))
		map_int(g, spec, "revisionHistoryLimit", 5);
	sel = map_map(g, map_map(g, spec, "selector"), "matchLabels");
	map_str(g, sel, a->label_key, a->name);
	if (rng_percent(r, 20)) {
		x = map_map(g, spec, "strategy");
		map_str(g, x, "type", "RollingUpdate");
		y = map_map(g, x, "rollingUpdate");
		map_str(g, y, "maxSurge", "25%");
		map_int(g, y, "maxUnavailable", 0);
	}
	tmpl = map_map(g, spec, "template");
	tmeta = map_map(g, tmpl, "metadata");
	labels = map_map(g, tmeta, "labels");
	map_str(g, labels, a->label_key, a->name);
	if (rng_percent(r, 25))
		map_str(g, labels, "app.kubernetes.io/version", version);
	if (rng_percent(r, 20)) {
		ann = map_map(g, tmeta, "annotations");
		if (mount || rng_percent(r, 50)) {
			hex(r, checksum, 64);
			map_str(g, ann, "checksum/config", arena_printf(&g->arena, "%s", checksum));
		}
		if (a->metrics_port && rng_percent(r, 50)) {
			map_str(g, ann, "prometheus.io/scrape", "true");
			map_str(g, ann, "prometheus.io/port", "9090");
		} else {
			map_str(g, ann, "kubectl.kubernetes.io/default-container", a->name);
		}
	}
	pod = map_map(g, tmpl, "spec");
	if (rng_percent(r, 30))
		map_str(g, pod, "serviceAccountName", a->name);
	if (rng_percent(r, 10)) {
		x = seq_map(g, map_seq(g, pod, "imagePullSecrets"));
		map_str(g, x, "name", "registry-credentials");
	}
	if (rng_percent(r, 12)) {
		x = map_map(g, pod, "securityContext");
		map_bool(g, x, "runAsNonRoot", 1);
		map_int(g, x, "runAsUser", 10001);
		map_int(g, x, "fsGroup", 10001);
	}
	if (rng_percent(r, 5)) {
		x = seq_map(g, map_seq(g, pod, "initContainers"));
		map_str(g, x, "name", "migrate");
		map_fmt(g, x, "image", "registry.acme.io/%s/%s:%s", a->team, a->name, version);
		y = map_seq(g, x, "command");
		y->flow = 1;
		seq_str(g, y, "./migrate");
		seq_str(g, y, "up");
	}
	containers = map_seq(g, pod, "containers");
	make_container(g, r, containers, a, version, mount);
	if (rng_percent(r, 6))
		make_sidecar(g, r, containers);
	if (mount) {
		x = seq_map(g, map_seq(g, pod, "volumes"));
		map_str(g, x, "name", "config");
		map_fmt(g, map_map(g, x, "configMap"), "name", "%s-config", a->name);
	}
	if (rng_percent(r, 8)) {
		x = map_map(g, pod, "nodeSelector");
		map_str(g, x, "node.kubernetes.io/pool", rng_percent(r, 50) ? "general" : "highmem");
	}
	if (rng_percent(r, 5)) {
		x = seq_map(g, map_seq(g, pod, "tolerations"));
		map_str(g, x, "key", "dedicated");
		map_str(g, x, "operator", "Equal");
		map_str(g, x, "value", a->team);
		map_str(g, x, "effect", "NoSchedule");
	}
	if (rng_percent(r, 8)) {
		x = seq_map(g, map_seq(g, pod, "topologySpreadConstraints"));
		map_int(g, x, "maxSkew", 1);
		map_str(g, x, "topologyKey", PICK(r, zones));
		map_str(g, x, "whenUnsatisfiable", "ScheduleAnyway");
		y = map_map(g, map_map(g, x, "labelSelector"), "matchLabels");
		map_str(g, y, a->label_key, a->name);
	}
	if (rng_percent(r, 10))
		map_int(g, pod, "terminationGracePeriodSeconds", 30u * rng_range(r, 1, 4));
	return d;
}

static struct node *make_service(struct gen *g, struct rng *r, const struct app *a)
{
	struct node *meta, *s, *spec, *ports, *p, *ann, *sel;

	s = object_new(g, "v1", "Service", a->name, a->namespace, &meta);
	app_labels(g, r, meta, a);
	if (rng_percent(r, 12)) {
		ann = map_map(g, meta, "annotations");
		map_str(g, ann, "service.kubernetes.io/topology-mode", "Auto");
	}
	spec = map_map(g, s, "spec");
	if (rng_percent(r, 4))
		map_str(g, spec, "type", rng_percent(r, 50) ? "LoadBalancer" : "NodePort");
	else if (rng_percent(r, 40))
		map_str(g, spec, "type", "ClusterIP");
	sel = map_map(g, spec, "selector");
	map_str(g, sel, a->label_key, a->name);
	ports = map_seq(g, spec, "ports");
	p = seq_map(g, ports);
	map_str(g, p, "name", "http");
	map_int(g, p, "port", rng_percent(r, 70) ? 80 : 8080);
	map_str(g, p, "targetPort", "http");
	if (rng_percent(r, 25))
		map_str(g, p, "protocol", "TCP");
	if (a->grpc) {
		p = seq_map(g, ports);
		map_str(g, p, "name", "grpc");
		map_int(g, p, "port", 9000);
		map_str(g, p, "targetPort", "grpc");
	}
	if (a->metrics_port) {
		p = seq_map(g, ports);
		map_str(g, p, "name", a->metrics_port);
		map_int(g, p, "port", 9090);
		map_str(g, p, "targetPort", "metrics");
	}
	return s;
}

static struct node *make_configmap(struct gen *g, struct rng *r, const struct app *a)
{
	struct node *meta, *cm, *data;
	unsigned order[6], keys = rng_range(r, 1, 2), i, timeout, batch, ttl;

	cm = object_new(g, "v1", "ConfigMap", arena_printf(&g->arena, "%s-config", a->name), a->namespace, &meta);
	if (rng_percent(r, 50))
		app_labels(g, r, meta, a);
	data = map_map(g, cm, "data");
	keys += (unsigned)rng_percent(r, 20);
	rng_shuffle(r, order, 6);
	for (i = 0; i < keys; i++) {
		switch (order[i]) {
		case 0:
			timeout = rng_range(r, 5, 30);
			batch = 50u * rng_range(r, 1, 20);
			ttl = 30u * rng_range(r, 1, 20);
			map_fmt(g, data, "config.yaml",
				"server:\n  port: 8080\n  shutdownTimeout: %us\nlogging:\n  level: info\n"
				"%s:\n  batchSize: %u\n  cacheTTL: %us\n",
				timeout, a->domain, batch, ttl);
			break;
		case 1:
			map_fmt(g, data, "application.properties",
				"server.port=8080\nspring.application.name=%s\n%s.pool.size=%u\n",
				a->name, a->domain, rng_range(r, 4, 64));
			break;
		case 2:
			map_str(g, data, "LOG_FORMAT", "json");
			map_fmt(g, data, "WORKERS", "%u", rng_range(r, 1, 16));
			break;
		case 3:
			map_fmt(g, data, "UPSTREAM_URL", "http://%s-%s.%s.svc:8080", a->domain, PICK(r, roles), a->namespace);
			break;
		case 4:
			map_str(g, data, "ENABLE_TRACING", rng_percent(r, 50) ? "true" : "false");
			break;
		default:
			map_fmt(g, data, "REQUEST_TIMEOUT", "%ums", 250u * rng_range(r, 1, 20));
			break;
		}
	}
	return cm;
}

static struct node *make_monitor(struct gen *g, struct rng *r, const struct app *a, const char *service,
				 const char *namespace, const char *port)
{
	static const char *const intervals[] = { "15s", "30s", "30s", "60s" };
	struct node *meta, *m, *labels, *spec, *sel, *ns, *ep;
	int central = rng_percent(r, 30);

	m = object_new(g, "monitoring.coreos.com/v1", "ServiceMonitor", service, central ? "monitoring" : namespace, &meta);
	labels = map_map(g, meta, "labels");
	map_str(g, labels, a->label_key, service);
	map_str(g, labels, "release", rng_percent(r, 70) ? "kube-prometheus" : "platform");
	spec = map_map(g, m, "spec");
	if (rng_percent(r, 30))
		map_str(g, spec, "jobLabel", a->label_key);
	sel = map_map(g, map_map(g, spec, "selector"), "matchLabels");
	map_str(g, sel, a->label_key, service);
	if (central) {
		ns = map_seq(g, map_map(g, spec, "namespaceSelector"), "matchNames");
		seq_str(g, ns, namespace);
	}
	ep = seq_map(g, map_seq(g, spec, "endpoints"));
	map_str(g, ep, "port", port);
	map_str(g, ep, "interval", PICK(r, intervals));
	if (rng_percent(r, 50))
		map_str(g, ep, "path", "/metrics");
	if (rng_percent(r, 20))
		map_str(g, ep, "scrapeTimeout", "10s");
	if (rng_percent(r, 15))
		map_bool(g, ep, "honorLabels", 1);
	return m;
}

/* One letter off: dropped, doubled or changed. */
static const char *misspell(struct gen *g, struct rng *r, const char *name)
{
	size_t n = strlen(name), at = rng_below(r, n);
	char *s = arena_alloc(&g->arena, n + 2);

	switch (rng_below(r, 3)) {
	case 0:
		if (n > 3) {
			memcpy(s, name, at);
			strcpy(s + at, name + at + 1);
			return s;
		}
		/* fall through */
	case 1:
		memcpy(s, name, at + 1);
		strcpy(s + at + 1, name + at);
		return s;
	default:
		strcpy(s, name);
		s[at] = s[at] == 'e' ? 'a' : 'e';
		return s;
	}
}

static const char *fake_ip(struct gen *g, struct rng *r, const struct app *a)
{
	unsigned block = rng_below(r, 3), second = rng_range(r, 16, 31), third = rng_range(r, 0, 255);
	unsigned fourth = rng_range(r, 2, 254);

	if (block == 0)
		return arena_printf(&g->arena, "10.%u.%u.%u", 10u + a->team_index, third, fourth);
	if (block == 1)
		return arena_printf(&g->arena, "172.%u.%u.%u", second, third, fourth);
	return arena_printf(&g->arena, "192.168.%u.%u", third, fourth);
}

static const char *placeholder_ip(struct rng *r)
{
	static const char *const placeholders[] = {
		"YOUR_DB_IP", "<DB_IP>", "x.x.x.x", "TODO", "CHANGE_ME", "10.0.0.x", "${DB_HOST}",
	};

	return PICK(r, placeholders);
}

static struct node *make_external_service(struct gen *g, struct rng *r, const struct app *a)
{
	const struct external *x = &a->external;
	struct node *meta, *s, *labels, *spec, *ports, *p, *sel;
	size_t i;

	s = object_new(g, "v1", "Service", x->name, x->namespace, &meta);
	labels = map_map(g, meta, "labels");
	map_str(g, labels, a->label_key, x->name);
	if (rng_percent(r, 50))
		map_str(g, labels, "app.kubernetes.io/component", x->kind->name);
	if (rng_percent(r, 30)) {
		p = map_map(g, meta, "annotations");
		map_str(g, p, "description", arena_printf(&g->arena, "external %s, managed outside the cluster", x->kind->name));
	}
	spec = map_map(g, s, "spec");
	if (x->external_name) {
		map_str(g, spec, "type", "ExternalName");
		map_fmt(g, spec, "externalName", "%s.%s.db.example.com", x->name, a->team);
	} else if (x->headless) {
		map_str(g, spec, "clusterIP", "None");
	} else if (rng_percent(r, 30)) {
		map_str(g, spec, "type", "ClusterIP");
	}
	if (a->fault == FAULT_SELECTOR_WITH_ENDPOINTS) {
		sel = map_map(g, spec, "selector");
		map_str(g, sel, a->label_key, x->name);
	}
	ports = map_seq(g, spec, "ports");
	for (i = 0; i < x->kind->ports; i++) {
		p = seq_map(g, ports);
		if (!x->unnamed_port)
			map_str(g, p, "name", x->kind->port_names[i]);
		map_int(g, p, "port", x->kind->port_numbers[i]);
		if (rng_percent(r, 50) && !x->external_name)
			map_int(g, p, "targetPort", x->kind->port_numbers[i]);
		if (strcmp(x->kind->protocols[i], "TCP") || rng_percent(r, 50))
			map_str(g, p, "protocol", x->kind->protocols[i]);
	}
	if (a->external_monitored) {
		p = seq_map(g, ports);
		map_str(g, p, "name", "metrics");
		map_int(g, p, "port", 9187);
	}
	return s;
}

/* The port list of Endpoints or an EndpointSlice, with the port faults applied. */
static void endpoint_ports(struct gen *g, struct rng *r, struct node *ports, const struct app *a)
{
	const struct external *x = &a->external;
	struct node *p;
	const char *name, *protocol;
	size_t i;

	for (i = 0; i < x->kind->ports; i++) {
		p = seq_map(g, ports);
		name = x->kind->port_names[i];
		protocol = x->kind->protocols[i];
		if (i == 0 && a->fault == FAULT_PORT_NAME)
			name = misspell(g, r, name);
		if (i == 0 && a->fault == FAULT_PROTOCOL)
			protocol = strcmp(protocol, "TCP") ? "TCP" : "UDP";
		if (!x->unnamed_port)
			map_str(g, p, "name", name);
		map_int(g, p, "port", x->kind->port_numbers[i]);
		if (strcmp(protocol, "TCP") || a->fault == FAULT_PROTOCOL || rng_percent(r, 50))
			map_str(g, p, "protocol", protocol);
	}
	if (a->external_monitored) {
		p = seq_map(g, ports);
		map_str(g, p, "name", "metrics");
		map_int(g, p, "port", 9187);
	}
}

static const char *endpoints_namespace(const struct app *a)
{
	if (a->fault != FAULT_NAMESPACE)
		return a->external.namespace;
	return strcmp(a->external.namespace, "default") ? "default" : "databases";
}

/* Hand-written Endpoints or EndpointSlices for the external Service; returns how many objects. */
static size_t make_endpoints(struct gen *g, struct rng *r, const struct app *a, struct node **out)
{
	const struct external *x = &a->external;
	struct node *meta, *e, *labels, *subset, *addresses, *ad, *endpoints;
	unsigned count = rng_range(r, 1, 3), slices, s, i, bad = rng_below(r, count);

	if (!x->use_slices) {
		e = object_new(g, "v1", "Endpoints", x->name, endpoints_namespace(a), &meta);
		if (rng_percent(r, 40)) {
			labels = map_map(g, meta, "labels");
			map_str(g, labels, a->label_key, x->name);
		}
		subset = seq_map(g, map_seq(g, e, "subsets"));
		addresses = map_seq(g, subset, "addresses");
		for (i = 0; i < count; i++) {
			ad = seq_map(g, addresses);
			map_str(g, ad, "ip", a->fault == FAULT_PLACEHOLDER_IP && i == bad ? placeholder_ip(r) : fake_ip(g, r, a));
			if (!strcmp(x->kind->name, "etcd"))
				map_fmt(g, ad, "hostname", "etcd-%u", i);
		}
		endpoint_ports(g, r, map_seq(g, subset, "ports"), a);
		out[0] = e;
		return 1;
	}
	slices = count > 1 && rng_percent(r, 25) ? 2 : 1;
	for (s = 0; s < slices; s++) {
		e = object_new(g, "discovery.k8s.io/v1", "EndpointSlice",
			       arena_printf(&g->arena, "%s-%s", x->name, slices > 1 ? (s ? "b" : "a") : "manual"),
			       endpoints_namespace(a), &meta);
		labels = map_map(g, meta, "labels");
		map_str(g, labels, "kubernetes.io/service-name", x->name);
		map_str(g, labels, "endpointslice.kubernetes.io/managed-by", rng_percent(r, 50) ? "cluster-admins" : "gitops");
		map_str(g, e, "addressType", "IPv4");
		endpoint_ports(g, r, map_seq(g, e, "ports"), a);
		endpoints = map_seq(g, e, "endpoints");
		for (i = s; i < count; i += slices) {
			ad = seq_map(g, endpoints);
			addresses = map_seq(g, ad, "addresses");
			seq_str(g, addresses, a->fault == FAULT_PLACEHOLDER_IP && i == bad ? placeholder_ip(r) : fake_ip(g, r, a));
			if (rng_percent(r, 60))
				map_bool(g, map_map(g, ad, "conditions"), "ready", 1);
		}
		out[s] = e;
	}
	return slices;
}

static struct node *make_kustomization(struct gen *g, const struct app *a, const char *const *files, size_t count)
{
	struct node *k = map_new(g), *res;
	size_t i;

	map_str(g, k, "apiVersion", "kustomize.config.k8s.io/v1beta1");
	map_str(g, k, "kind", "Kustomization");
	map_str(g, k, "namespace", a->namespace);
	res = map_seq(g, k, "resources");
	for (i = 0; i < count; i++)
		seq_str(g, res, files[i]);
	map_str(g, map_map(g, k, "commonLabels"), "app.kubernetes.io/part-of", a->team);
	return k;
}

/* A name for a Service (and its workload) unique in its namespace and, when team is given, among the
 * folders apps/<team>/<name>: base, or base-2, base-3, ... */
static const char *claim_name(struct gen *g, const char *namespace, const char *team, const char *base)
{
	const char *name = base, *key, *folder;
	unsigned n;

	for (n = 2;; n++) {
		key = arena_printf(&g->arena, "%s/%s", namespace, name);
		folder = team ? arena_printf(&g->arena, "apps/%s/%s", team, name) : NULL;
		if (!name_set_has(&g->names, key) && !(folder && name_set_has(&g->names, folder)))
			break;
		name = arena_printf(&g->arena, "%s-%u", base, n);
	}
	name_set_add(&g->names, key);
	if (folder)
		name_set_add(&g->names, folder);
	return name;
}

static void note_fault(struct gen *g, const struct app *a, const char *object)
{
	if (a->fault == FAULT_NONE)
		return;
	fprintf(g->faults, "%s\t%s\t%s\n", a->dir, fault_names[a->fault], object);
	g->fault_count++;
}

static void plan_external(struct gen *g, struct rng *r, struct app *a, int only)
{
	struct external *x = &a->external;
	unsigned shared;

	x->kind = &external_kinds[rng_below(r, ARRAY_SIZE(external_kinds))];
	if (!strcmp(x->kind->name, "etcd") && rng_percent(r, 60)) {
		x->namespace = "kube-system";
	} else if (rng_percent(r, 60)) {
		x->namespace = a->namespace;
	} else {
		shared = rng_below(r, ARRAY_SIZE(shared_namespaces) - 1);
		x->namespace = shared_namespaces[shared];
	}
	for (shared = 0; shared < ARRAY_SIZE(shared_namespaces); shared++)
		if (!strcmp(x->namespace, shared_namespaces[shared]))
			g->shared_used |= 1u << shared;
	/* an external service of its own is named for its domain (ledger-postgres); one that belongs to
	 * an app, for the app (ledger-api-postgres) */
	x->name = claim_name(g, x->namespace, only ? a->team : NULL,
			     arena_printf(&g->arena, "%s-%s", only ? a->domain : a->name, x->kind->name));
	x->use_slices = rng_percent(r, 40);
	x->external_name = a->fault == FAULT_NONE && rng_percent(r, 6);
	x->headless = rng_percent(r, 20);
	x->unnamed_port = x->kind->ports == 1 && rng_percent(r, 30);
	if (a->fault == FAULT_PORT_NAME)
		x->unnamed_port = 0;
}

/* Files of one app: each holds up to 8 documents. */
struct file_plan {
	const char *name;
	struct node *docs[8];
	size_t count;
};

static struct file_plan *plan_file(struct file_plan *files, size_t *count, const char *name)
{
	size_t i;

	for (i = 0; i < *count; i++)
		if (!strcmp(files[i].name, name))
			return &files[i];
	files[*count].name = name;
	files[*count].count = 0;
	return &files[(*count)++];
}

static void plan_doc(struct file_plan *f, struct node *doc)
{
	if (f->count == ARRAY_SIZE(f->docs))
		die("internal error: too many documents in %s", f->name);
	f->docs[f->count++] = doc;
}

static const char *file_name(struct gen *g, const struct app *a, const char *what, const char *short_name)
{
	switch (a->naming) {
	case 0:
		return arena_printf(&g->arena, "%s.%s", what, a->ext);
	case 1:
		return arena_printf(&g->arena, "%s-%s.%s", a->name, what, a->ext);
	default:
		return arena_printf(&g->arena, "%s.%s", short_name, a->ext);
	}
}

static void generate_app(struct gen *g, unsigned index)
{
	struct app app, *a = &app;
	struct rng rng, *r = &rng;
	struct file_plan files[12];
	const char *names[12];
	struct node *endpoints[2] = { NULL, NULL };
	size_t nfiles = 0, nendpoints = 0, i, j;
	unsigned team, variant, kind;

	memset(a, 0, sizeof(*a));
	rng_seed(r, g->seed, index + 1);
	a->index = index;
	team = rng_below(r, ARRAY_SIZE(teams));
	a->team = teams[team];
	a->team_index = team;
	variant = rng_percent(r, 75) ? 0 : rng_percent(r, 60) ? 1 : 2;
	g->team_namespaces[team] |= 1u << variant;
	a->namespace = arena_printf(&g->arena, "%s%s", a->team, namespace_suffixes[variant]);
	a->domain = PICK(r, domains);
	a->role = PICK(r, roles);
	a->grpc = !strcmp(a->role, "grpc") || rng_percent(r, 5);
	a->label_key = rng_percent(r, 70) ? "app.kubernetes.io/name" : "app";

	/* 1 in 8 apps is only an external service, 1 in 8 has one besides its workload;
	 * about 1 in 5 is monitored; 2% carry one fault, which forces what it needs. */
	kind = rng_below(r, 8);
	a->has_workload = kind != 0;
	a->has_external = kind <= 1;
	a->monitored = rng_percent(r, 20);
	if (rng_below(r, 50) == 0) {
		a->fault = (enum fault)rng_range(r, FAULT_PORT_NAME, FAULT_MONITOR_PORT);
		if (a->fault == FAULT_MONITOR_PORT) {
			a->monitored = 1;
		} else if (!a->has_external) {
			a->has_external = 1;
		}
	}
	a->ext = rng_percent(r, 84) ? "yaml" : rng_percent(r, 75) ? "yml" : "json";
	a->json = !strcmp(a->ext, "json");
	a->naming = (int)rng_below(r, 3);
	a->layout = a->json ? LAYOUT_SPLIT : rng_percent(r, 40) ? LAYOUT_ONE : rng_percent(r, 30) ? LAYOUT_PAIR : LAYOUT_SPLIT;

	if (a->has_workload) {
		a->name = claim_name(g, a->namespace, a->team, arena_printf(&g->arena, "%s-%s", a->domain, a->role));
		if (a->monitored)
			a->metrics_port = rng_percent(r, 70) ? "metrics" : "http-metrics";
		a->dir = arena_printf(&g->arena, "apps/%s/%s", a->team, a->name);
	}
	if (a->has_external) {
		plan_external(g, r, a, !a->has_workload);
		a->external_monitored = !a->has_workload && a->monitored && !a->external.external_name;
		if (!a->has_workload) {
			a->name = a->external.name;
			a->dir = strcmp(a->external.namespace, a->namespace) && rng_percent(r, 70) ?
				arena_printf(&g->arena, "platform/%s/%s", a->external.namespace, a->name) :
				arena_printf(&g->arena, "apps/%s/%s", a->team, a->name);
		}
		if (!a->external.external_name)
			nendpoints = make_endpoints(g, r, a, endpoints);
	}

	if (a->has_workload) {
		struct node *dep = make_deployment(g, r, a), *svc = make_service(g, r, a);
		struct node *cm = make_configmap(g, r, a), *mon = NULL;
		const char *port = a->metrics_port;

		if (a->monitored) {
			if (a->fault == FAULT_MONITOR_PORT)
				port = rng_percent(r, 50) ? misspell(g, r, port) : strcmp(port, "metrics") ? "metrics" : "http-metrics";
			mon = make_monitor(g, r, a, a->name, a->namespace, port);
			if (a->fault == FAULT_MONITOR_PORT)
				note_fault(g, a, arena_printf(&g->arena, "ServiceMonitor %s", a->name));
		}
		switch (a->layout) {
		case LAYOUT_ONE:
			{
				struct file_plan *f = plan_file(files, &nfiles, rng_percent(r, 50) ?
					arena_printf(&g->arena, "%s.%s", a->name, a->ext) :
					arena_printf(&g->arena, "%s.%s", rng_percent(r, 50) ? "manifests" : "all", a->ext));

				if (rng_percent(r, 30))
					plan_doc(f, cm);
				plan_doc(f, dep);
				plan_doc(f, svc);
				if (f->docs[0] != cm)
					plan_doc(f, cm);
				if (mon)
					plan_doc(f, mon);
			}
			break;
		case LAYOUT_PAIR:
			plan_doc(plan_file(files, &nfiles, file_name(g, a, "deployment", "workload")), cm);
			plan_doc(plan_file(files, &nfiles, file_name(g, a, "deployment", "workload")), dep);
			plan_doc(plan_file(files, &nfiles, file_name(g, a, "service", "svc")), svc);
			if (mon)
				plan_doc(plan_file(files, &nfiles, file_name(g, a, "service", "svc")), mon);
			break;
		case LAYOUT_SPLIT:
			plan_doc(plan_file(files, &nfiles, file_name(g, a, "deployment", "deploy")), dep);
			plan_doc(plan_file(files, &nfiles, file_name(g, a, "service", "svc")), svc);
			plan_doc(plan_file(files, &nfiles, file_name(g, a, "configmap", "cm")), cm);
			if (mon)
				plan_doc(plan_file(files, &nfiles, file_name(g, a, "servicemonitor", "sm")), mon);
			break;
		}
	}
	if (a->has_external) {
		struct node *svc = make_external_service(g, r, a), *mon = NULL;
		struct file_plan *f;

		if (a->fault != FAULT_NONE && a->fault != FAULT_MONITOR_PORT)
			note_fault(g, a, arena_printf(&g->arena, "Service %s/%s", a->external.namespace, a->external.name));
		if (a->external_monitored) {
			a->metrics_port = "metrics";
			mon = make_monitor(g, r, a, a->external.name, a->external.namespace,
					   a->fault == FAULT_MONITOR_PORT ? misspell(g, r, "metrics") : "metrics");
			if (a->fault == FAULT_MONITOR_PORT)
				note_fault(g, a, arena_printf(&g->arena, "ServiceMonitor %s", a->external.name));
		}
		if (a->json) {
			plan_doc(plan_file(files, &nfiles, arena_printf(&g->arena, "%s-service.json", a->external.name)), svc);
			for (i = 0; i < nendpoints; i++)
				plan_doc(plan_file(files, &nfiles, arena_printf(&g->arena, "%s-%s%s.json", a->external.name,
					a->external.use_slices ? "endpointslice" : "endpoints",
					nendpoints > 1 ? (i ? "-b" : "-a") : "")), endpoints[i]);
			if (mon)
				plan_doc(plan_file(files, &nfiles, arena_printf(&g->arena, "%s-servicemonitor.json", a->external.name)), mon);
		} else if (a->layout == LAYOUT_ONE || rng_percent(r, 55)) {
			f = a->layout == LAYOUT_ONE && nfiles ? &files[0] :
				plan_file(files, &nfiles, arena_printf(&g->arena, "%s.%s", a->external.name, a->ext));
			plan_doc(f, svc);
			for (i = 0; i < nendpoints; i++)
				plan_doc(f, endpoints[i]);
			if (mon)
				plan_doc(f, mon);
		} else {
			f = plan_file(files, &nfiles, arena_printf(&g->arena, "%s-service.%s", a->external.name, a->ext));
			plan_doc(f, svc);
			if (mon)
				plan_doc(f, mon);
			f = plan_file(files, &nfiles, arena_printf(&g->arena, "%s-%s.%s", a->external.name,
				a->external.use_slices ? "endpointslices" : "endpoints", a->ext));
			for (i = 0; i < nendpoints; i++)
				plan_doc(f, endpoints[i]);
		}
	}
	if (a->has_workload && rng_percent(r, 12)) {
		for (i = 0; i < nfiles; i++)
			names[i] = files[i].name;
		j = nfiles;
		plan_doc(plan_file(files, &nfiles, "kustomization.yaml"), make_kustomization(g, a, names, j));
	}
	for (i = 0; i < nfiles; i++)
		write_file(g, r, a->dir, files[i].name, files[i].docs, files[i].count);
}

static struct node *make_namespace(struct gen *g, const char *name, const char *team)
{
	struct node *meta, *ns = object_new(g, "v1", "Namespace", name, NULL, &meta), *labels;

	labels = map_map(g, meta, "labels");
	if (team)
		map_str(g, labels, "team", team);
	map_str(g, labels, "kubernetes.io/metadata.name", name);
	return ns;
}

static void generate_namespaces(struct gen *g, struct rng *r)
{
	struct node *docs[ARRAY_SIZE(namespace_suffixes) + ARRAY_SIZE(shared_namespaces)];
	size_t t, v, count;

	for (t = 0; t < ARRAY_SIZE(teams); t++) {
		count = 0;
		for (v = 0; v < ARRAY_SIZE(namespace_suffixes); v++)
			if (g->team_namespaces[t] & (1u << v))
				docs[count++] = make_namespace(g, arena_printf(&g->arena, "%s%s", teams[t], namespace_suffixes[v]),
							       teams[t]);
		if (count)
			write_file(g, r, arena_printf(&g->arena, "apps/%s", teams[t]), "namespaces.yaml", docs, count);
		arena_reset(&g->arena);
	}
	count = 0;
	docs[count++] = make_namespace(g, "monitoring", NULL);
	for (v = 0; v + 1 < ARRAY_SIZE(shared_namespaces); v++)
		if (g->shared_used & (1u << v))
			docs[count++] = make_namespace(g, shared_namespaces[v], NULL);
	write_file(g, r, "platform", "namespaces.yaml", docs, count);
	arena_reset(&g->arena);
}

/* A Prometheus, the Service in front of it and the ServiceMonitor that scrapes it. */
static void generate_prometheus(struct gen *g, struct rng *r, const char *name, const char *release)
{
	struct node *docs[3], *meta, *spec, *x, *y;
	struct app self;

	docs[0] = object_new(g, "monitoring.coreos.com/v1", "Prometheus", name, "monitoring", &meta);
	x = map_map(g, meta, "labels");
	map_str(g, x, "prometheus", name);
	spec = map_map(g, docs[0], "spec");
	map_int(g, spec, "replicas", 2);
	map_str(g, spec, "version", "v2.48.1");
	map_fmt(g, spec, "serviceAccountName", "prometheus-%s", name);
	x = map_map(g, map_map(g, spec, "serviceMonitorSelector"), "matchLabels");
	map_str(g, x, "release", release);
	map_map(g, spec, "serviceMonitorNamespaceSelector");
	map_map(g, spec, "podMonitorSelector");
	x = map_map(g, map_map(g, spec, "ruleSelector"), "matchLabels");
	map_str(g, x, "release", release);
	map_str(g, spec, "retention", "15d");
	x = map_map(g, map_map(g, spec, "resources"), "requests");
	map_str(g, x, "memory", "4Gi");
	x = map_map(g, map_map(g, spec, "storage"), "volumeClaimTemplate");
	x = map_map(g, x, "spec");
	map_str(g, x, "storageClassName", "ssd");
	map_str(g, map_map(g, map_map(g, x, "resources"), "requests"), "storage", "200Gi");
	x = seq_map(g, map_seq(g, map_map(g, spec, "alerting"), "alertmanagers"));
	map_str(g, x, "namespace", "monitoring");
	map_str(g, x, "name", "alertmanager-main");
	map_str(g, x, "port", "web");

	docs[1] = object_new(g, "v1", "Service", arena_printf(&g->arena, "prometheus-%s", name), "monitoring", &meta);
	x = map_map(g, meta, "labels");
	map_str(g, x, "app.kubernetes.io/name", arena_printf(&g->arena, "prometheus-%s", name));
	map_str(g, x, "release", release);
	spec = map_map(g, docs[1], "spec");
	map_str(g, map_map(g, spec, "selector"), "prometheus", name);
	y = seq_map(g, map_seq(g, spec, "ports"));
	map_str(g, y, "name", "web");
	map_int(g, y, "port", 9090);
	map_str(g, y, "targetPort", "web");
	map_str(g, spec, "sessionAffinity", "ClientIP");
	map_comment(g, spec, "the operator's own prometheus-operated Service is headless; this one is for the UI");

	memset(&self, 0, sizeof(self));
	self.label_key = "app.kubernetes.io/name";
	docs[2] = make_monitor(g, r, &self, arena_printf(&g->arena, "prometheus-%s", name), "monitoring", "web");
	write_file(g, r, "platform/monitoring", arena_printf(&g->arena, "prometheus-%s.yaml", name), docs, 3);
	arena_reset(&g->arena);
}

static int parse_number(const char *s, unsigned long long *out)
{
	char *end;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return errno || *end ? -1 : 0;
}

static void usage(void)
{
	fputs("usage: gen [-s SEED] N OUTDIR\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	struct gen g;
	struct rng r;
	unsigned long long seed = 1, apps;
	char path[PATH_CAPACITY];
	int i = 1;
	unsigned n;

	if (i + 1 < argc && !strcmp(argv[i], "-s")) {
		if (parse_number(argv[i + 1], &seed))
			usage();
		i += 2;
	}
	if (argc - i != 2 || parse_number(argv[i], &apps) || apps > 10000000)
		usage();
	memset(&g, 0, sizeof(g));
	g.seed = seed;
	g.outdir = argv[i + 1];
	make_dirs(g.outdir);
	if ((size_t)snprintf(path, sizeof(path), "%s/.faults.tsv", g.outdir) >= sizeof(path))
		die("path too long: %s", g.outdir);
	g.faults = fopen(path, "w");
	if (!g.faults)
		die("cannot create '%s': %s", path, strerror(errno));
	fputs("# directory\tfault\tobject\n", g.faults);

	for (n = 0; n < apps; n++) {
		generate_app(&g, n);
		arena_reset(&g.arena);
	}
	rng_seed(&r, g.seed, 0);
	generate_namespaces(&g, &r);
	generate_prometheus(&g, &r, "k8s", "kube-prometheus");
	generate_prometheus(&g, &r, "platform", "platform");
	if (apps >= 10000)
		generate_prometheus(&g, &r, "apps", "kube-prometheus");

	if (fclose(g.faults))
		die("cannot write '%s': %s", path, strerror(errno));
	name_set_release(&g.names);
	arena_reset(&g.arena);
	free(g.arena.head);
	free(g.out.data);
	printf("apps %llu files %llu bytes %llu faults %llu\n", apps, g.files, g.bytes, g.fault_count);
	return 0;
}
