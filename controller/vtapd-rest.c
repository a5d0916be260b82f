/*
 * Copyright (c) 2026 The ovs-vtap developers.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at:
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

#include <config.h>
#include "controller/vtapd-rest.h"

#include <inttypes.h>
#include <string.h>

#include "db/vtapdb-check.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/shash.h"
#include "util.h"

/* The JSON types a field of a request body may have. */
enum field_type {
    FIELD_STRING,
    FIELD_INTEGER,
    FIELD_BOOLEAN,
    FIELD_NUMBER_OR_STRING,     /* E.g. sampling: 0.01 or "1/100". */
    FIELD_INTEGER_OR_STRING,    /* E.g. protocol: 6 or "tcp". */
};

/* A field of a request body and where it goes on the vtapctl command line:
 * the 'position'th argument of the verb if 'position' is nonzero, or
 * else a "NAME=VALUE" setting. */
struct field {
    const char *name;
    enum field_type type;
    int position;
    bool required;
    const char *prefix;         /* Put before a positional value, or NULL. */
};

static const struct field tap_fields[] = {
    { "name", FIELD_STRING, 1, true, NULL },
    { "collector_ip", FIELD_STRING, 2, false, NULL },
    { "collector_pool", FIELD_STRING, 2, false, NULL },
    { "collector_port", FIELD_STRING, 2, false, "local:" },
    { "vni", FIELD_INTEGER, 0, false, NULL },
    { "udp_port", FIELD_INTEGER, 0, false, NULL },
    { "snaplen", FIELD_INTEGER, 0, false, NULL },
    { "sampling", FIELD_NUMBER_OR_STRING, 0, false, NULL },
    { "rate_limit", FIELD_STRING, 0, false, NULL },
    { "hub", FIELD_STRING, 0, false, NULL },
    { "enabled", FIELD_BOOLEAN, 0, false, NULL },
    { NULL, 0, 0, false, NULL },
};

static const struct field source_fields[] = {
    { "tap", FIELD_STRING, 1, true, NULL },
    { "switch", FIELD_STRING, 2, true, NULL },
    { "port", FIELD_STRING, 3, false, NULL },
    { "iface_id", FIELD_STRING, 3, false, "iface-id=" },
    { "direction", FIELD_STRING, 0, false, NULL },
    { "filter", FIELD_STRING, 0, false, NULL },
    { NULL, 0, 0, false, NULL },
};

static const struct field filter_fields[] = {
    { "name", FIELD_STRING, 1, true, NULL },
    { "description", FIELD_STRING, 0, false, NULL },
    { NULL, 0, 0, false, NULL },
};

/* A rule's filter is argument 1, from the path or the filter's name. */
static const struct field rule_fields[] = {
    { "direction", FIELD_STRING, 2, true, NULL },
    { "number", FIELD_INTEGER, 3, true, NULL },
    { "action", FIELD_STRING, 4, true, NULL },
    { "protocol", FIELD_INTEGER_OR_STRING, 0, false, NULL },
    { "src_cidr", FIELD_STRING, 0, false, NULL },
    { "dst_cidr", FIELD_STRING, 0, false, NULL },
    { "src_port", FIELD_INTEGER_OR_STRING, 0, false, NULL },
    { "dst_port", FIELD_INTEGER_OR_STRING, 0, false, NULL },
    { "description", FIELD_STRING, 0, false, NULL },
    { NULL, 0, 0, false, NULL },
};

/* A member's pool is argument 1, from the path or the pool's name. */
static const struct field member_fields[] = {
    { "ip", FIELD_STRING, 2, true, NULL },
    { "weight", FIELD_INTEGER, 3, false, NULL },
    { NULL, 0, 0, false, NULL },
};

static const struct field pool_fields[] = {
    { "name", FIELD_STRING, 1, true, NULL },
    { NULL, 0, 0, false, NULL },
};

/* Initializes 'op' to ask for nothing. */
void
vtapd_rest_op_init(struct vtapd_rest_op *op)
{
    memset(op, 0, sizeof *op);
    svec_init(&op->argv);
}

/* Frees what 'op' holds. */
void
vtapd_rest_op_destroy(struct vtapd_rest_op *op)
{
    if (op) {
        free(op->key);
        free(op->sub_key);
        svec_destroy(&op->argv);
        free(op->new_pool);
        free(op->old_pool);
    }
}

/* Returns a JSON error body {"error": 'message'}. */
char *
vtapd_rest_error_body(const char *message)
{
    struct json *json = json_object_create();
    char *body;

    json_object_put_string(json, "error", message);
    body = json_to_string(json, JSSF_SORT);
    json_destroy(json);
    return body;
}

/* Returns 'value' as a vtapctl argument, or NULL if its JSON type is not
 * 'type'. */
static char *
field_to_arg(const struct json *value, enum field_type type)
{
    bool is_string = value->type == JSON_STRING;
    bool is_integer = value->type == JSON_INTEGER;

    switch (type) {
    case FIELD_STRING:
        return is_string ? xstrdup(json_string(value)) : NULL;
    case FIELD_INTEGER:
        return is_integer ? xasprintf("%"PRId64, json_integer(value)) : NULL;
    case FIELD_BOOLEAN:
        return (value->type == JSON_TRUE ? xstrdup("true")
                : value->type == JSON_FALSE ? xstrdup("false")
                : NULL);
    case FIELD_NUMBER_OR_STRING:
        if (value->type == JSON_REAL) {
            /* As the JSON library spells it, and OVSDB prints it (1e-06),
             * not "%.17g"'s 9.9999999999999995e-07, which lies below the
             * smallest probability. */
            return json_to_string(value, 0);
        }
        /* Fall through. */
    case FIELD_INTEGER_OR_STRING:
    default:
        return (is_string ? xstrdup(json_string(value))
                : is_integer ? xasprintf("%"PRId64, json_integer(value))
                : NULL);
    }
}

/* Returns what a value of 'type' is, for an error message. */
static const char *
field_type_name(enum field_type type)
{
    switch (type) {
    case FIELD_STRING:
        return "a string";
    case FIELD_INTEGER:
        return "an integer";
    case FIELD_BOOLEAN:
        return "true or false";
    case FIELD_NUMBER_OR_STRING:
        return "a number or a string";
    case FIELD_INTEGER_OR_STRING:
    default:
        return "an integer or a string";
    }
}

/* Returns an error naming 'field', whose value is 'value', that says
 * 'what'. */
static char *
field_error(const char *field, const struct json *value, const char *what)
{
    char *s = json_to_string(value, JSSF_SORT);
    char *error = xasprintf("%s: %s: %s", field, s, what);

    free(s);
    return error;
}

/* Returns true if 'arg', the value of field 'f', would be taken for the
 * value of another field in the same position, one with a prefix: a port
 * "iface-id=x" for the iface_id "x", say. */
static bool
has_prefixed_alternative(const struct field fields[], const struct field *f,
                         const char *arg)
{
    for (const struct field *g = fields; g->name; g++) {
        if (g->position == f->position && g->prefix
            && !strncmp(arg, g->prefix, strlen(g->prefix))) {
            return true;
        }
    }
    return false;
}

/* Returns an error for the first member of JSON object 'object', in
 * alphabetical order, that is none of 'fields', or NULL. */
static char *
check_unknown_fields(const struct json *object, const struct field fields[])
{
    const struct shash_node **nodes = shash_sort(json_object(object));
    size_t n = shash_count(json_object(object));
    char *error = NULL;

    for (size_t i = 0; !error && i < n; i++) {
        const struct field *f;

        for (f = fields; f->name && strcmp(f->name, nodes[i]->name); f++) {
            continue;
        }
        if (!f->name) {
            struct ds expected = DS_EMPTY_INITIALIZER;

            for (f = fields; f->name; f++) {
                ds_put_format(&expected, "%s%s", f == fields ? "" : ", ",
                              f->name);
            }
            error = xasprintf("%s: unknown field (expected one of %s)",
                              nodes[i]->name, ds_cstr(&expected));
            ds_destroy(&expected);
        }
    }
    free(nodes);
    return error;
}

/* Returns true if the vtapctl argument in 'position' must be given: if a
 * field for it is required, or if there are alternatives for it. */
static bool
position_is_required(const struct field fields[], size_t position)
{
    size_t n = 0;

    for (const struct field *f = fields; f->name; f++) {
        if (f->position == position) {
            if (f->required) {
                return true;
            }
            n++;
        }
    }
    return n > 1;
}

/* Appends to 'argv' the vtapctl command 'verb' made of 'fixed' (the
 * arguments that come from the path, in positions 1, 2, ...) and the
 * members of JSON object 'object', according to 'fields'.  Returns NULL or
 * an error message. */
static char *
object_to_command(const char *verb, const char *const *fixed, size_t n_fixed,
                  const struct json *object, const struct field fields[],
                  struct svec *argv)
{
    const char *positional[8] = { NULL };
    const char *positional_field[8] = { NULL };
    struct svec settings = SVEC_EMPTY_INITIALIZER;
    struct svec args = SVEC_EMPTY_INITIALIZER;
    const struct field *f;
    char *error = NULL;
    size_t n_args = n_fixed;

    if (object->type != JSON_OBJECT) {
        return field_error("body", object, "expected a JSON object");
    }
    error = check_unknown_fields(object, fields);
    if (error) {
        return error;
    }
    for (size_t i = 0; i < n_fixed; i++) {
        positional[i + 1] = fixed[i];
    }
    for (f = fields; f->name; f++) {
        if (f->required && !shash_find(json_object(object), f->name)) {
            error = xasprintf("%s: missing (a required field)", f->name);
            goto out;
        }
        n_args = MAX(n_args, f->position);
    }

    /* In the order of 'fields', so that errors do not depend on the order
     * of the body's members. */
    for (f = fields; f->name; f++) {
        const struct json *value = shash_find_data(json_object(object),
                                                   f->name);
        char *arg;

        if (!value) {
            continue;
        }
        arg = field_to_arg(value, f->type);
        if (!arg) {
            char *what = xasprintf("expected %s", field_type_name(f->type));
            error = field_error(f->name, value, what);
            free(what);
            goto out;
        }
        /* db-ctl-base splits command lines at "--", and a port named
         * "iface-id=..." would be taken for an iface_id. */
        if (!strcmp(arg, "--")
            || (!f->prefix && f->position
                && has_prefixed_alternative(fields, f, arg))) {
            free(arg);
            error = field_error(f->name, value, "not a valid value");
            goto out;
        }
        if (f->prefix) {
            char *prefixed = xasprintf("%s%s", f->prefix, arg);
            free(arg);
            arg = prefixed;
        }
        if (!f->position) {
            svec_add_nocopy(&settings, xasprintf("%s=%s", f->name, arg));
            free(arg);
        } else if (positional[f->position]) {
            free(arg);
            error = xasprintf("%s: not allowed with %s", f->name,
                              positional_field[f->position]);
            goto out;
        } else {
            svec_add_nocopy(&args, arg);
            positional[f->position] = args.names[args.n - 1];
            positional_field[f->position] = f->name;
        }
    }

    /* A position is required if a field for it is, or if there are
     * alternatives for it, such as port and iface_id: then one of them is.
     * An optional one may only be the last, as vtapctl's WEIGHT is. */
    for (size_t i = n_args; i >= 1; i--) {
        if (!positional[i] && position_is_required(fields, i)) {
            struct ds names = DS_EMPTY_INITIALIZER;

            for (f = fields; f->name; f++) {
                if (f->position == i) {
                    ds_put_format(&names, "%s%s", names.length ? " or " : "",
                                  f->name);
                }
            }
            error = xasprintf("%s: missing (a required field)",
                              ds_cstr(&names));
            ds_destroy(&names);
            goto out;
        } else if (!positional[i] && i == n_args) {
            n_args--;
        }
    }

    if (argv->n) {
        svec_add(argv, "--");
    }
    svec_add(argv, verb);
    for (size_t i = 1; i <= n_args; i++) {
        svec_add(argv, positional[i]);
    }
    svec_append(argv, &settings);

out:
    svec_destroy(&settings);
    svec_destroy(&args);
    return error;
}

/* Parses 'body', which must hold a JSON object, into '*jsonp'.  Returns
 * NULL or an error message. */
static char *
parse_body(const char *body, struct json **jsonp)
{
    struct json *json;

    *jsonp = NULL;
    if (!body || !body[0]) {
        return xstrdup("body: missing (expected a JSON object)");
    }
    json = json_from_string(body);
    if (json->type == JSON_STRING) {
        char *error = xasprintf("body: not valid JSON (%s)",
                                json_string(json));
        json_destroy(json);
        return error;
    }
    if (json->type != JSON_OBJECT) {
        char *error = field_error("body", json, "expected a JSON object");
        json_destroy(json);
        return error;
    }
    *jsonp = json;
    return NULL;
}

/* The members of 'object' other than 'name', a copy that the caller
 * frees. */
static struct json *
object_without(const struct json *object, const char *name)
{
    struct json *copy = json_object_create();
    struct shash_node *node;

    SHASH_FOR_EACH (node, json_object(object)) {
        if (strcmp(node->name, name)) {
            json_object_put(copy, node->name, json_clone(node->data));
        }
    }
    return copy;
}

/* Appends to 'argv' a command per element of 'array', the 'member' of an
 * object, made with 'verb' and 'fields' after argument 'parent'.  Returns
 * NULL or an error message. */
static char *
array_to_commands(const char *verb, const char *parent,
                  const char *member, const struct json *array,
                  const struct field fields[], bool nonempty,
                  struct svec *argv)
{
    if (array->type != JSON_ARRAY) {
        return field_error(member, array, "expected an array of objects");
    }
    if (nonempty && !array->array.n) {
        return field_error(member, array, "expected at least one");
    }
    for (size_t i = 0; i < array->array.n; i++) {
        char *error = object_to_command(verb, &parent, 1,
                                        array->array.elems[i], fields, argv);
        if (error) {
            char *full = xasprintf("%s[%"PRIuSIZE"]: %s", member, i, error);
            free(error);
            return full;
        }
    }
    return NULL;
}

/* tap-add takes its DESTINATION for a local port if it starts with
 * "local:", for an address if it starts with a digit or has a ':', and for
 * a pool's name otherwise: checks that the body's collector_ip,
 * collector_pool or collector_port is what its name says, with the
 * database validators' own messages.  Returns NULL or an error message. */
static char *
check_tap_destination(const struct json *tap)
{
    static const struct {
        const char *field;
        char *(*parse)(const char *);
    } destinations[] = {
        { "collector_ip", vtapdb_parse_ip },
        { "collector_pool", vtapdb_parse_name },
        { "collector_port", vtapdb_parse_port_name },
    };

    for (size_t i = 0; i < ARRAY_SIZE(destinations); i++) {
        const struct json *value = shash_find_data(json_object(tap),
                                                   destinations[i].field);
        char *error;

        if (!value || value->type != JSON_STRING) {
            continue;
        }
        error = destinations[i].parse(json_string(value));
        if (error) {
            char *full = xasprintf("%s: %s", destinations[i].field, error);
            free(error);
            return full;
        }
        /* object_to_command() refuses a second destination. */
        return NULL;
    }
    return NULL;
}

/* Returns the string member 'name' of 'object', which object_to_command()
 * has checked, or NULL. */
static const char *
get_string(const struct json *object, const char *name)
{
    const struct json *value = shash_find_data(json_object(object), name);

    return value && value->type == JSON_STRING ? json_string(value) : NULL;
}

/* Sets the key of 'op' to the object that POST body 'json' creates, which
 * a successful request returns. */
static void
set_created_key(const struct json *json, struct vtapd_rest_op *op)
{
    const struct json *number;

    switch (op->sub) {
    case VTAPD_REST_SUB_RULES:
        number = shash_find_data(json_object(json), "number");
        op->sub_key = xasprintf("%s/%"PRId64, get_string(json, "direction"),
                                json_integer(number));
        break;
    case VTAPD_REST_SUB_MEMBERS:
        op->sub_key = xstrdup(get_string(json, "ip"));
        break;
    case VTAPD_REST_SUB_NONE:
    default:
        if (op->collection == VTAPD_SOURCES) {
            const char *port = get_string(json, "port");

            op->key = xasprintf("%s/%s/%s%s", get_string(json, "tap"),
                                get_string(json, "switch"),
                                port ? "" : "iface-id=",
                                port ? port : get_string(json, "iface_id"));
        } else {
            op->key = xstrdup(get_string(json, "name"));
        }
        break;
    }
}

/* A POST to a collection: 'body' into 'op->argv'. */
static char *
parse_post(const char *body, struct vtapd_rest_op *op)
{
    const struct json *name, *list;
    struct json *json, *rest;
    char *error;

    error = parse_body(body, &json);
    if (error) {
        return error;
    }
    name = shash_find_data(json_object(json), "name");
    if (op->collection == VTAPD_FILTERS && op->sub == VTAPD_REST_SUB_NONE) {
        /* A filter and its rules, in one transaction. */
        rest = object_without(json, "rules");
        error = object_to_command("filter-add", NULL, 0, rest, filter_fields,
                                  &op->argv);
        list = shash_find_data(json_object(json), "rules");
        if (!error && list) {
            error = array_to_commands("rule-add", json_string(name), "rules",
                                      list, rule_fields, false, &op->argv);
        }
        json_destroy(rest);
    } else if (op->collection == VTAPD_POOLS
               && op->sub == VTAPD_REST_SUB_NONE) {
        /* A pool exists only with members: one collector-add each. */
        rest = object_without(json, "members");
        error = object_to_command("collector-add", NULL, 0, rest, pool_fields,
                                  &op->argv);
        list = shash_find_data(json_object(json), "members");
        if (!error && !list) {
            error = xstrdup("members: missing (a required field)");
        }
        if (!error) {
            svec_clear(&op->argv);
            error = array_to_commands("collector-add", json_string(name),
                                      "members", list, member_fields, true,
                                      &op->argv);
            op->new_pool = xstrdup(json_string(name));
        }
        json_destroy(rest);
    } else if (op->sub == VTAPD_REST_SUB_RULES) {
        error = object_to_command("rule-add", (const char **) &op->key, 1,
                                  json, rule_fields, &op->argv);
    } else if (op->sub == VTAPD_REST_SUB_MEMBERS) {
        error = object_to_command("collector-add", (const char **) &op->key,
                                  1, json, member_fields, &op->argv);
        op->old_pool = xstrdup(op->key);
    } else if (op->collection == VTAPD_TAPS) {
        error = check_tap_destination(json);
        if (!error) {
            error = object_to_command("tap-add", NULL, 0, json, tap_fields,
                                      &op->argv);
        }
    } else if (op->collection == VTAPD_SOURCES) {
        error = object_to_command("source-add", NULL, 0, json, source_fields,
                                  &op->argv);
    } else {
        error = xstrdup("POST: not allowed here");
    }
    if (!error) {
        set_created_key(json, op);
    }
    json_destroy(json);
    return error;
}

/* The collections, by their name in a path. */
static const char *const collection_names[VTAPD_N_COLLECTIONS] = {
    [VTAPD_SWITCHES] = "switches",
    [VTAPD_TAPS] = "taps",
    [VTAPD_SOURCES] = "sources",
    [VTAPD_FILTERS] = "filters",
    [VTAPD_POOLS] = "collector-pools",
};

/* Sets 'op''s collection, key and sub-collection from 'segments', the
 * decoded segments of the path after the leading '/'.  Returns false if
 * the path names nothing. */
static bool
parse_path(const struct svec *segments, struct vtapd_rest_op *op)
{
    const char *const *seg = (const char *const *) segments->names;
    size_t n = segments->n;
    size_t key_len;
    int c;

    for (size_t i = 0; i < n; i++) {
        /* An empty segment names nothing, and db-ctl-base splits command
         * lines at "--". */
        if (!seg[i][0] || !strcmp(seg[i], "--")) {
            return false;
        }
    }
    if (n < 2 || strcmp(seg[0], "v1")) {
        return false;
    }
    for (c = 0; c < VTAPD_N_COLLECTIONS; c++) {
        if (!strcmp(seg[1], collection_names[c])) {
            break;
        }
    }
    if (c == VTAPD_N_COLLECTIONS) {
        return false;
    }
    op->collection = c;
    if (n == 2) {
        return true;
    }

    /* A source's key is TAP/SWITCH/PORT. */
    key_len = c == VTAPD_SOURCES ? 3 : 1;
    if (n < 2 + key_len) {
        return false;
    }
    op->key = (key_len == 3
               ? xasprintf("%s/%s/%s", seg[2], seg[3], seg[4])
               : xstrdup(seg[2]));
    n -= 2 + key_len;
    seg += 2 + key_len;
    if (!n) {
        return true;
    }

    if (c == VTAPD_FILTERS && !strcmp(seg[0], "rules")
        && (n == 1 || n == 3)) {
        op->sub = VTAPD_REST_SUB_RULES;
        op->sub_key = n == 3 ? xasprintf("%s/%s", seg[1], seg[2]) : NULL;
        return true;
    } else if (c == VTAPD_POOLS && !strcmp(seg[0], "members")
               && (n == 1 || n == 2)) {
        op->sub = VTAPD_REST_SUB_MEMBERS;
        op->sub_key = n == 2 ? xstrdup(seg[1]) : NULL;
        return true;
    }
    return false;
}

/* A DELETE of the object that 'op' names: the vtapctl command into
 * 'op->argv'. */
static void
parse_delete(const struct svec *segments, struct vtapd_rest_op *op)
{
    static const char *const verbs[VTAPD_N_COLLECTIONS] = {
        [VTAPD_TAPS] = "tap-del",
        [VTAPD_SOURCES] = "source-del",
        [VTAPD_FILTERS] = "filter-del",
        [VTAPD_POOLS] = "collector-del",
    };

    svec_add(&op->argv, (op->sub == VTAPD_REST_SUB_RULES ? "rule-del"
                         : verbs[op->collection]));
    /* Every segment after the collection's name but "rules" and
     * "members" is an argument, in order. */
    for (size_t i = 2; i < segments->n; i++) {
        if (i != 3 || op->sub == VTAPD_REST_SUB_NONE) {
            svec_add(&op->argv, segments->names[i]);
        }
    }
}

/* Parses a request for 'method' on the path whose decoded segments (after
 * the leading '/') are 'segments', with 'body' (NULL if none), into 'op',
 * which the caller has initialized.
 *
 * Returns 0 on success.  Otherwise returns the HTTP status to answer
 * (404 for a path that names nothing, 405 for a method it does not take,
 * 400 for a bad body) and stores an error message in '*errorp', which the
 * caller frees. */
int
vtapd_rest_parse(enum vtapd_rest_method method, const struct svec *segments,
                 const char *body, struct vtapd_rest_op *op, char **errorp)
{
    bool is_object;             /* Does the path name one object? */
    char *error;

    *errorp = NULL;
    if (!parse_path(segments, op)) {
        *errorp = xstrdup("path: no such resource");
        return 404;
    }
    is_object = (op->sub == VTAPD_REST_SUB_NONE ? op->key != NULL
                 : op->sub_key != NULL);
    if (method == VTAPD_REST_GET) {
        return 0;
    }
    if (op->collection == VTAPD_SWITCHES || method == VTAPD_REST_OTHER
        || (method == VTAPD_REST_POST) == is_object) {
        *errorp = xasprintf("method: not allowed here (allowed: %s)",
                            (op->collection == VTAPD_SWITCHES ? "GET"
                             : is_object ? "GET, DELETE" : "GET, POST"));
        return 405;
    }

    op->write = true;
    if (method == VTAPD_REST_DELETE) {
        if (body && body[0]) {
            *errorp = xstrdup("body: not allowed with DELETE");
            return 400;
        }
        parse_delete(segments, op);
        op->success_status = 204;
        return 0;
    }
    error = parse_post(body, op);
    if (error) {
        *errorp = error;
        return 400;
    }
    op->success_status = 201;
    return 0;
}

/* Returns the HTTP status for 'error', the error of vtapctl's commands for
 * write request 'op': 409 for a conflict with what the database holds,
 * 404 if an object that the path names does not exist, 400 otherwise. */
int
vtapd_rest_error_status(const struct vtapd_rest_op *op, const char *error)
{
    if (strstr(error, "already") || strstr(error, "in use by")
        || strstr(error, "the destination of tap")) {
        return 409;
    }
    /* The verbs name a missing object as "FIELD: "NAME": no TABLE with this
     * name", or with "not a source of", "not a member of" or "has no" for a
     * source, a member or a rule.
     * A missing object that the path names is not found; one that the body
     * names makes a bad request.  A DELETE's arguments all come from the
     * path, a POST's first one does if it adds to a sub-collection. */
    bool deleting = op->success_status == 204;
    size_t n_from_path = (deleting ? op->argv.n
                          : op->sub != VTAPD_REST_SUB_NONE ? 2 : 0);

    for (size_t i = 1; i < n_from_path; i++) {
        char *quoted = xasprintf("\"%s\": no ", op->argv.names[i]);
        bool missing = strstr(error, quoted) != NULL;

        free(quoted);
        if (missing) {
            return 404;
        }
    }
    if (deleting && (strstr(error, ": not a source of ")
                     || strstr(error, ": not a member of ")
                     || strstr(error, " has no "))) {
        return 404;
    }
    return 400;
}

/* Returns what 'op' names in 'snap': a collection (a JSON array), or one
 * object.  Returns NULL if there is no such object, and an error message
 * in '*errorp' that the caller frees. */
const struct json *
vtapd_rest_lookup(const struct vtapd_snapshot *snap,
                  const struct vtapd_rest_op *op, char **errorp)
{
    static const char *const tables[VTAPD_N_COLLECTIONS] = {
        [VTAPD_SWITCHES] = "Switch",
        [VTAPD_TAPS] = "Tap",
        [VTAPD_SOURCES] = "Tap_Source",
        [VTAPD_FILTERS] = "Filter",
        [VTAPD_POOLS] = "Collector_Pool",
    };
    const struct json *object, *list;
    const char *member;

    *errorp = NULL;
    if (!op->key) {
        return snap->collections[op->collection];
    }
    object = vtapd_snapshot_find(snap, op->collection, op->key);
    if (!object) {
        *errorp = xasprintf("%s: \"%s\": no %s with this %s",
                            op->collection == VTAPD_SOURCES ? "id" : "name",
                            op->key, tables[op->collection],
                            op->collection == VTAPD_SOURCES ? "id" : "name");
        return NULL;
    }
    if (op->sub == VTAPD_REST_SUB_NONE) {
        return object;
    }

    member = op->sub == VTAPD_REST_SUB_RULES ? "rules" : "members";
    list = shash_find_data(json_object(object), member);
    if (!op->sub_key) {
        return list;
    }
    object = vtapd_json_array_find(list, (op->sub == VTAPD_REST_SUB_RULES
                                          ? "id" : "ip"), op->sub_key);
    if (!object) {
        *errorp = xasprintf("%s: \"%s\": no such %s in %s \"%s\"",
                            op->sub == VTAPD_REST_SUB_RULES ? "id" : "ip",
                            op->sub_key, (op->sub == VTAPD_REST_SUB_RULES
                                          ? "rule" : "member"),
                            tables[op->collection], op->key);
    }
    return object;
}
