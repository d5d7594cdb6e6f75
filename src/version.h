/* Version of qlvb (semantic versioning). */
#ifndef QLVB_VERSION_H
#define QLVB_VERSION_H
#define QLVB_VERSION "0.1.0"
#endif
