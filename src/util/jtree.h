/* Orders a flat array of {id, parent_id, name, ...} objects as a tree: pre-order,
 * each object given "depth" and "parent_name". Used for agencies and departments. */
#ifndef QLVB_JTREE_H
#define QLVB_JTREE_H

#include <jansson.h>

/* Returns a new array sharing the objects of `flat` (which is not modified in
 * order); objects deeper than max_depth, or in cycles, are left out. */
json_t *jtree_preorder(json_t *flat, int max_depth);

#endif
