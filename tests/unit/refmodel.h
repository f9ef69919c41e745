/* refmodel.h: design matrices built as R's model.matrix does, for the unit
   tests of the model kernels (cox, concordance, zph).

   TERMS is a comma list of columns; "col:f" is a factor (dummies for every
   level but the first, levels sorted as R's read.csv + factor do), "col:l" is
   log2 (col + 1).  Rows with a missing value in any used column are dropped. */
#ifndef AXS_REFMODEL_H
#define AXS_REFMODEL_H

#include "stats/cox.h"

#include <stddef.h>

typedef struct
{
  size_t n, p, nterm;
  double *x, *time;
  int *event, *strata;
  size_t *term_of_column;
} design;

design *design_make (const char *csv, const char *tcol, const char *ecol,
                     const char *terms, const char *strata_col);
void design_free (design *d);

/* The Cox models R was run on for the reference files
   r-survival/{cox,cox_model,zph}_<TAG>_<TIES>.tsv: data file, time, event,
   TERMS as above, strata column (or NULL), TAG and TIES ("efron" or
   "breslow").  Ended by an entry with a NULL csv. */
typedef struct
{
  const char *csv, *tcol, *ecol, *terms, *strata_col, *tag, *ties;
} ref_model;

extern const ref_model ref_models[];

/* The ties method named by M->ties. */
enum axs_cox_ties ref_model_ties (const ref_model *m);

#endif
