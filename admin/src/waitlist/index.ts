import HourglassEmptyIcon from '@mui/icons-material/HourglassEmpty';
import { WaitlistCreate, WaitlistEdit, WaitlistList } from './WaitlistViews';

export default { list: WaitlistList, edit: WaitlistEdit, create: WaitlistCreate, icon: HourglassEmptyIcon, recordRepresentation: 'email' };
