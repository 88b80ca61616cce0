import { useDataProvider } from 'react-admin';
import type { OpsDataProvider } from './dataProvider';

/** The data provider with its domain methods typed. */
export const useOps = () => useDataProvider<OpsDataProvider>();
