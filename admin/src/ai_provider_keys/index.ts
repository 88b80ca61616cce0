import VpnKeyIcon from '@mui/icons-material/VpnKey';
import { ProviderKeyCreate, ProviderKeyEdit, ProviderKeyList, ProviderKeyShow } from './ProviderKeyViews';

export default {
  list: ProviderKeyList,
  show: ProviderKeyShow,
  edit: ProviderKeyEdit,
  create: ProviderKeyCreate,
  icon: VpnKeyIcon,
  recordRepresentation: 'provider',
};
