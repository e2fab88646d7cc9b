/*
 * kubearch/kubearch.h - the whole public API of libkubearch.
 */
#ifndef KUBEARCH_H
#define KUBEARCH_H

#include "base.h"
#include "doc.h"
#include "diag.h"
#include "load.h"
#include "labels.h"
#include "quantity.h"
#include "object.h"
#include "selindex.h"
#include "check.h"
#include "output.h"
#include "netpol.h"
#include "rbac.h"

#endif
