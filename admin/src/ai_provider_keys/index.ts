import VpnKeyIcon from '@mui/icons-material/VpnKey';
import { lazyViews } from '../common/lazyViews';

const views = lazyViews(() => import('./ProviderKeyViews'));

export default {
  list: views('ProviderKeyList'),
  show: views('ProviderKeyShow'),
  edit: views('ProviderKeyEdit'),
  create: views('ProviderKeyCreate'),
  icon: VpnKeyIcon,
  recordRepresentation: 'provider',
};
