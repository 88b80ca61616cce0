import CorporateFareIcon from '@mui/icons-material/CorporateFare';
import { OrganizationCreate, OrganizationEdit, OrganizationList, OrganizationShow } from './OrganizationViews';

export default {
  list: OrganizationList,
  show: OrganizationShow,
  edit: OrganizationEdit,
  create: OrganizationCreate,
  icon: CorporateFareIcon,
  recordRepresentation: 'name',
};
