import CorporateFareIcon from '@mui/icons-material/CorporateFare';
import { lazyViews } from '../common/lazyViews';

const views = lazyViews(() => import('./OrganizationViews'));

export default {
  list: views('OrganizationList'),
  show: views('OrganizationShow'),
  edit: views('OrganizationEdit'),
  create: views('OrganizationCreate'),
  icon: CorporateFareIcon,
  recordRepresentation: 'name',
};
