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
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "lib/vtapdb-ops.h"
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

/* A field of a request body and where it goes in a typed operation: a
 * member of 'struct vtapdb_op' (its offset), or a setting named as the
 * field.  Fields in the same nonzero group are alternatives, of which a
 * request gives exactly one: a tap's collector_ip, collector_pool or
 * collector_port, a source's port or iface_id. */
struct field {
    const char *name;
    enum field_type type;
    size_t member;              /* offsetof() a member, or SETTING. */
    bool required;
    int group;                  /* Nonzero: alternatives have the same. */
    enum vtapdb_destination dest_type;  /* For member 'dest'. */
};

#define SETTING SIZE_MAX
#define MEMBER(NAME) offsetof(struct vtapdb_op, NAME)

static const struct field tap_fields[] = {
    { "name", FIELD_STRING, MEMBER(name), true, 0, 0 },
    { "collector_ip", FIELD_STRING, MEMBER(dest), false, 1, VTAPDB_DEST_IP },
    { "collector_pool", FIELD_STRING, MEMBER(dest), false, 1,
      VTAPDB_DEST_POOL },
    { "collector_port", FIELD_STRING, MEMBER(dest), false, 1,
      VTAPDB_DEST_PORT },
    { "vni", FIELD_INTEGER, SETTING, false, 0, 0 },
    { "udp_port", FIELD_INTEGER, SETTING, false, 0, 0 },
    { "snaplen", FIELD_INTEGER, SETTING, false, 0, 0 },
    { "sampling", FIELD_NUMBER_OR_STRING, SETTING, false, 0, 0 },
    { "rate_limit", FIELD_STRING, SETTING, false, 0, 0 },
    { "hub", FIELD_STRING, SETTING, false, 0, 0 },
    { "enabled", FIELD_BOOLEAN, SETTING, false, 0, 0 },
    { NULL, 0, 0, false, 0, 0 },
};

static const struct field source_fields[] = {
    { "tap", FIELD_STRING, MEMBER(tap), true, 0, 0 },
    { "switch", FIELD_STRING, MEMBER(switch_name), true, 0, 0 },
    { "port", FIELD_STRING, MEMBER(port), false, 1, 0 },
    { "iface_id", FIELD_STRING, MEMBER(iface_id), false, 1, 0 },
    { "direction", FIELD_STRING, SETTING, false, 0, 0 },
    { "filter", FIELD_STRING, SETTING, false, 0, 0 },
    { NULL, 0, 0, false, 0, 0 },
};

static const struct field filter_fields[] = {
    { "name", FIELD_STRING, MEMBER(name), true, 0, 0 },
    { "description", FIELD_STRING, SETTING, false, 0, 0 },
    { NULL, 0, 0, false, 0, 0 },
};

/* A rule's filter comes from the path or the filter's name. */
static const struct field rule_fields[] = {
    { "direction", FIELD_STRING, MEMBER(direction), true, 0, 0 },
    { "number", FIELD_INTEGER, MEMBER(number), true, 0, 0 },
    { "action", FIELD_STRING, MEMBER(action), true, 0, 0 },
    { "protocol", FIELD_INTEGER_OR_STRING, SETTING, false, 0, 0 },
    { "src_cidr", FIELD_STRING, SETTING, false, 0, 0 },
    { "dst_cidr", FIELD_STRING, SETTING, false, 0, 0 },
    { "src_port", FIELD_INTEGER_OR_STRING, SETTING, false, 0, 0 },
    { "dst_port", FIELD_INTEGER_OR_STRING, SETTING, false, 0, 0 },
    { "description", FIELD_STRING, SETTING, false, 0, 0 },
    { NULL, 0, 0, false, 0, 0 },
};

/* A member's pool comes from the path or the pool's name. */
static const struct field member_fields[] = {
    { "ip", FIELD_STRING, MEMBER(ip), true, 0, 0 },
    { "weight", FIELD_INTEGER, MEMBER(weight), false, 0, 0 },
    { NULL, 0, 0, false, 0, 0 },
};

static const struct field pool_fields[] = {
    { "name", FIELD_STRING, MEMBER(name), true, 0, 0 },
    { NULL, 0, 0, false, 0, 0 },
};

/* Initializes 'op' to ask for nothing. */
void
vtapd_rest_op_init(struct vtapd_rest_op *op)
{
    memset(op, 0, sizeof *op);
}

/* Frees what 'op' holds. */
void
vtapd_rest_op_destroy(struct vtapd_rest_op *op)
{
    if (op) {
        free(op->key);
        free(op->sub_key);
        for (size_t i = 0; i < op->n_ops; i++) {
            vtapdb_op_destroy(&op->ops[i]);
        }
        free(op->ops);
    }
}

/* Returns a new operation of 'type', the last of 'op''s. */
static struct vtapdb_op *
add_op(struct vtapd_rest_op *op, enum vtapdb_op_type type)
{
    struct vtapdb_op *new;

    op->ops = xrealloc(op->ops, (op->n_ops + 1) * sizeof *op->ops);
    new = &op->ops[op->n_ops++];
    vtapdb_op_init(new, type);
    return new;
}

/* Returns the name of the error code of a request that vtapd answers with
 * HTTP 'status' for reasons of its own, not an operation's: the same names
 * as the operations' codes where they mean the same. */
static const char *
status_code_name(int status)
{
    switch (status) {
    case 400:
        return vtapdb_error_code_name(VTAPDB_ERR_INVALID);
    case 404:
        return vtapdb_error_code_name(VTAPDB_ERR_NOT_FOUND);
    case 401:
        return "unauthorized";
    case 403:
        return "forbidden";
    case 405:
        return "method_not_allowed";
    case 409:
        return vtapdb_error_code_name(VTAPDB_ERR_CONFLICT);
    case 413:
        return "too_large";
    case 415:
        return "unsupported_media_type";
    case 503:
        return "unavailable";
    default:
        return "internal";
    }
}

/* Returns a JSON error body {"code": CODE, "error": 'message'}, where CODE
 * names what HTTP 'status' means. */
char *
vtapd_rest_error_body(int status, const char *message)
{
    struct json *json = json_object_create();
    char *body;

    json_object_put_string(json, "code", status_code_name(status));
    json_object_put_string(json, "error", message);
    body = json_to_string(json, JSSF_SORT);
    json_destroy(json);
    return body;
}

/* Returns true if 'authorization', the value of a request's Authorization
 * header (NULL without one), is "Bearer 'token'" (the scheme in any case, as
 * RFC 6750 has it).  Compares the tokens in a time that does not depend on
 * where they differ, so that timing tells a client nothing of the token. */
bool
vtapd_rest_authorized(const char *authorization, const char *token)
{
    static const char scheme[] = "Bearer";
    size_t n_scheme = strlen(scheme);

    if (!authorization || strncasecmp(authorization, scheme, n_scheme)
        || authorization[n_scheme] != ' ') {
        return false;
    }
    const char *given = authorization + n_scheme;
    given += strspn(given, " ");

    size_t n = strlen(token);
    if (strlen(given) != n) {
        return false;
    }
    unsigned char diff = 0;
    for (size_t i = 0; i < n; i++) {
        diff |= (unsigned char) given[i] ^ (unsigned char) token[i];
    }
    return !diff;
}

/* Returns the JSON error body of operation error 'e': {"code": CODE,
 * "error": MESSAGE, "field": FIELD, "value": VALUE}, without the field or
 * the value if 'e' has none. */
char *
vtapd_rest_op_error_body(const struct vtapdb_error *e)
{
    struct json *json = json_object_create();
    char *body;

    json_object_put_string(json, "code", vtapdb_error_code_name(e->code));
    json_object_put_string(json, "error", e->message);
    if (e->field) {
        json_object_put_string(json, "field", e->field);
    }
    if (e->value) {
        json_object_put_string(json, "value", e->value);
    }
    body = json_to_string(json, JSSF_SORT);
    json_destroy(json);
    return body;
}

/* Returns 'value' as the text of an operation's value, or NULL if its JSON
 * type is not 'type'. */
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

/* Checks that 'object' has every required field of 'fields' and exactly
 * one of each group of alternatives.  Returns NULL or an error message. */
static char *
check_required_fields(const struct json *object, const struct field fields[])
{
    for (const struct field *f = fields; f->name; f++) {
        const struct field *g;
        const char *given = NULL;
        struct ds names;

        if (!f->required && !f->group) {
            continue;
        }
        if (!f->group) {
            if (!shash_find(json_object(object), f->name)) {
                return xasprintf("%s: missing (a required field)", f->name);
            }
            continue;
        }

        /* The first of a group checks the group. */
        for (g = fields; g->group != f->group; g++) {
            continue;
        }
        if (g != f) {
            continue;
        }
        ds_init(&names);
        for (g = f; g->name; g++) {
            if (g->group != f->group) {
                continue;
            }
            if (shash_find(json_object(object), g->name)) {
                if (given) {
                    ds_destroy(&names);
                    return xasprintf("%s: not allowed with %s", g->name,
                                     given);
                }
                given = g->name;
            }
            ds_put_format(&names, "%s%s", names.length ? " or " : "",
                          g->name);
        }
        char *error = (given ? NULL
                       : xasprintf("%s: missing (a required field)",
                                   ds_cstr(&names)));
        ds_destroy(&names);
        if (error) {
            return error;
        }
    }
    return NULL;
}

/* Fills in 'vop', a typed operation, from JSON object 'object' according
 * to 'fields'.  Returns NULL or an error message. */
static char *
object_to_op(const struct json *object, const struct field fields[],
             struct vtapdb_op *vop)
{
    char *error;

    if (object->type != JSON_OBJECT) {
        return field_error("body", object, "expected a JSON object");
    }
    error = check_unknown_fields(object, fields);
    if (!error) {
        error = check_required_fields(object, fields);
    }
    if (error) {
        return error;
    }

    /* In the order of 'fields', so that errors do not depend on the order
     * of the body's members. */
    for (const struct field *f = fields; f->name; f++) {
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
            return error;
        }
        if (f->member == SETTING) {
            vtapdb_op_add_setting(vop, f->name, arg);
            free(arg);
        } else {
            char **member = ALIGNED_CAST(char **,
                                         (char *) vop + f->member);

            *member = arg;
            if (f->member == MEMBER(dest)) {
                vop->dest_type = f->dest_type;
            }
        }
    }
    return NULL;
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

/* Adds to 'op' an operation of 'type' per element of 'array', the member
 * 'member' of a body, made with 'fields', for the filter or pool called
 * 'parent'.  Returns NULL or an error message. */
static char *
array_to_ops(enum vtapdb_op_type type, const char *parent,
             const char *member, const struct json *array,
             const struct field fields[], bool nonempty,
             struct vtapd_rest_op *op)
{
    if (array->type != JSON_ARRAY) {
        return field_error(member, array, "expected an array of objects");
    }
    if (nonempty && !array->array.n) {
        return field_error(member, array, "expected at least one");
    }
    for (size_t i = 0; i < array->array.n; i++) {
        struct vtapdb_op *vop = add_op(op, type);
        char *error;

        *(type == VTAPDB_OP_RULE_ADD ? &vop->filter : &vop->pool)
            = xstrdup(parent);
        error = object_to_op(array->array.elems[i], fields, vop);
        if (error) {
            char *full = xasprintf("%s[%"PRIuSIZE"]: %s", member, i, error);
            free(error);
            return full;
        }
    }
    return NULL;
}

/* Returns the string member 'name' of 'object', which object_to_op() has
 * checked, or NULL. */
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

/* A POST of a filter, with its rules, in one transaction. */
static char *
parse_post_filter(const struct json *json, struct vtapd_rest_op *op)
{
    struct json *rest = object_without(json, "rules");
    const struct json *rules = shash_find_data(json_object(json), "rules");
    char *error;

    error = object_to_op(rest, filter_fields,
                         add_op(op, VTAPDB_OP_FILTER_ADD));
    if (!error && rules) {
        error = array_to_ops(VTAPDB_OP_RULE_ADD, get_string(json, "name"),
                             "rules", rules, rule_fields, false, op);
    }
    json_destroy(rest);
    return error;
}

/* A POST of a pool, which exists only with members. */
static char *
parse_post_pool(const struct json *json, struct vtapd_rest_op *op)
{
    struct json *rest = object_without(json, "members");
    const struct json *members = shash_find_data(json_object(json),
                                                 "members");
    char *error;

    error = object_to_op(rest, pool_fields, add_op(op, VTAPDB_OP_POOL_ADD));
    if (!error && !members) {
        error = xstrdup("members: missing (a required field)");
    }
    if (!error) {
        error = array_to_ops(VTAPDB_OP_MEMBER_ADD, get_string(json, "name"),
                             "members", members, member_fields, true, op);
    }
    json_destroy(rest);
    return error;
}

/* A POST to a collection: 'body' into 'op->ops'. */
static char *
parse_post(const char *body, struct vtapd_rest_op *op)
{
    struct vtapdb_op *vop;
    struct json *json;
    char *error;

    error = parse_body(body, &json);
    if (error) {
        return error;
    }
    if (op->sub == VTAPD_REST_SUB_RULES) {
        vop = add_op(op, VTAPDB_OP_RULE_ADD);
        vop->filter = xstrdup(op->key);
        error = object_to_op(json, rule_fields, vop);
    } else if (op->sub == VTAPD_REST_SUB_MEMBERS) {
        vop = add_op(op, VTAPDB_OP_MEMBER_ADD);
        vop->pool = xstrdup(op->key);
        error = object_to_op(json, member_fields, vop);
    } else if (op->collection == VTAPD_FILTERS) {
        error = parse_post_filter(json, op);
    } else if (op->collection == VTAPD_POOLS) {
        error = parse_post_pool(json, op);
    } else if (op->collection == VTAPD_TAPS) {
        error = object_to_op(json, tap_fields,
                             add_op(op, VTAPDB_OP_TAP_ADD));
    } else if (op->collection == VTAPD_SOURCES) {
        error = object_to_op(json, source_fields,
                             add_op(op, VTAPDB_OP_SOURCE_ADD));
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
        /* An empty segment names nothing. */
        if (!seg[i][0]) {
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

/* A DELETE of the object that 'op' names, whose path's decoded segments
 * are 'seg': its operation into 'op->ops'. */
static void
parse_delete(const char *const *seg, struct vtapd_rest_op *op)
{
    struct vtapdb_op *vop;

    if (op->sub == VTAPD_REST_SUB_RULES) {
        vop = add_op(op, VTAPDB_OP_RULE_DEL);
        vop->filter = xstrdup(seg[2]);
        vop->direction = xstrdup(seg[4]);
        vop->number = xstrdup(seg[5]);
    } else if (op->sub == VTAPD_REST_SUB_MEMBERS) {
        vop = add_op(op, VTAPDB_OP_MEMBER_DEL);
        vop->pool = xstrdup(seg[2]);
        vop->ip = xstrdup(seg[4]);
    } else if (op->collection == VTAPD_SOURCES) {
        /* The id of a source by iface-id is TAP/SWITCH/iface-id=ID. */
        vop = add_op(op, VTAPDB_OP_SOURCE_DEL);
        vop->tap = xstrdup(seg[2]);
        vop->switch_name = xstrdup(seg[3]);
        if (!strncmp(seg[4], "iface-id=", 9)) {
            vop->iface_id = xstrdup(seg[4] + 9);
        } else {
            vop->port = xstrdup(seg[4]);
        }
    } else {
        static const enum vtapdb_op_type types[VTAPD_N_COLLECTIONS] = {
            [VTAPD_TAPS] = VTAPDB_OP_TAP_DEL,
            [VTAPD_FILTERS] = VTAPDB_OP_FILTER_DEL,
            [VTAPD_POOLS] = VTAPDB_OP_POOL_DEL,
        };

        vop = add_op(op, types[op->collection]);
        vop->name = xstrdup(seg[2]);
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
        parse_delete((const char *const *) segments->names, op);
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

/* Returns the HTTP status for 'e', the error of an operation of write
 * request 'op': 409 for a conflict with what the database holds or for an
 * object in use, 404 if an object that the path names does not exist, 400
 * otherwise (a bad value, or a missing object that the body names). */
int
vtapd_rest_error_status(const struct vtapd_rest_op *op,
                        const struct vtapdb_error *e)
{
    switch (e->code) {
    case VTAPDB_ERR_CONFLICT:
    case VTAPDB_ERR_IN_USE:
        return 409;
    case VTAPDB_ERR_NOT_FOUND:
        /* A DELETE's objects all come from the path; a POST's parent
         * does if it adds to a sub-collection. */
        if (op->success_status == 204
            || (op->sub == VTAPD_REST_SUB_RULES
                && nullable_string_is_equal(e->field, "filter"))
            || (op->sub == VTAPD_REST_SUB_MEMBERS
                && nullable_string_is_equal(e->field, "pool"))) {
            return 404;
        }
        return 400;
    case VTAPDB_ERR_INVALID:
    default:
        return 400;
    }
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
