/* Pre-order tree listing of parent-linked JSON objects. */
#include "util/jtree.h"

static void walk(json_t *all, json_int_t parent, int depth, int max_depth, json_t *out,
                 const char *pname)
{
    size_t i;
    json_t *o;
    if (depth > max_depth)
        return;
    json_array_foreach(all, i, o)
    {
        json_t *p = json_object_get(o, "parent_id");
        if ((json_is_integer(p) ? json_integer_value(p) : 0) != parent)
            continue;
        json_object_set_new(o, "depth", json_integer(depth));
        json_object_set_new(o, "parent_name", json_string(pname ? pname : ""));
        json_array_append(out, o);
        walk(all, json_integer_value(json_object_get(o, "id")), depth + 1, max_depth, out,
             json_string_value(json_object_get(o, "name")));
    }
}

json_t *jtree_preorder(json_t *flat, int max_depth)
{
    json_t *tree = json_array();
    walk(flat, 0, 0, max_depth, tree, NULL);
    return tree;
}
