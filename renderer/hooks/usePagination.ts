/** Server-side paging for a DataGrid that starts again from the first page whenever the filters (or sort) change. */
import type { GridPaginationModel } from '@mui/x-data-grid';
import { useState, type Dispatch, type SetStateAction } from 'react';

export function usePagination(filterKey: string, pageSize = 50): [GridPaginationModel, Dispatch<SetStateAction<GridPaginationModel>>] {
  const [pagination, setPagination] = useState<GridPaginationModel>({ page: 0, pageSize });
  // Adjusted during render, not in an effect, to skip a fetch of a page the new filters may not have.
  const [appliedKey, setAppliedKey] = useState(filterKey);
  if (filterKey !== appliedKey) {
    setAppliedKey(filterKey);
    if (pagination.page !== 0) setPagination({ ...pagination, page: 0 });
  }
  return [pagination, setPagination];
}
